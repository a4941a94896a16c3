using System.Globalization;
using System.Text.Json;
using WildLong.Core;
using WildLong.Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.Crash;

/// <summary>
/// The durable engine's central promise, through the real CLI: a run killed hard in the middle of generation and
/// started again with the same command finishes with exactly the dataset an uninterrupted run produces — no pair
/// twice, none lost, the same graphs. Runs in its own collection (its CLIs start their own Azurite and simulator).
/// </summary>
[Trait(TestCategories.Name, TestCategories.CliProcess)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class KillAndResumeTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(6);
    private readonly string root = Directory.CreateTempSubdirectory("wildlong-crash-").FullName;

    public void Dispose()
    {
        foreach (var workspace in Directory.GetDirectories(root, "ws-*"))
        {
            CliProcess.StopAzurite(workspace);
        }

        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task A_run_killed_during_generation_resumes_with_the_same_command_to_the_dataset_of_a_clean_run()
    {
        var (queries, documents) = PipelineTestData.WriteInputs(Path.Combine(root, "inputs"));
        var crashed = Path.Combine(root, "ws-crashed");
        var clean = Path.Combine(root, "ws-clean");
        try
        {
            // The clean run goes alongside the crashed one (each has its own workspace, Azurite and simulator).
            var cleanRun = RunAsync(clean, queries, documents, "clean", killWhen: null);
            var first = await RunAsync(crashed, queries, documents, "first", killWhen: line => line.StartsWith(StageNames.PairGeneration, StringComparison.Ordinal));
            Assert.True(first.Killed, "the first run ended before its generation stage showed: " + string.Join(" | ", first.Lines.TakeLast(5)));
            using var orphan = CliProcess.RunningAzurite(crashed);
            Assert.NotNull(orphan);
            Assert.False(File.Exists(Path.Combine(crashed, "out", "pairs.jsonl")));

            var resumed = await RunAsync(crashed, queries, documents, "resumed", killWhen: null);
            var cleanResult = await cleanRun;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"timings: killed after {first.KilledAt!.Value.TotalSeconds:F1} s; resumed run {resumed.Elapsed.TotalSeconds:F1} s; clean run {cleanResult.Elapsed.TotalSeconds:F1} s (alongside)"));

            Assert.Equal(0, resumed.ExitCode);
            Assert.Contains(resumed.Lines, l => l.Contains("(resumed)", StringComparison.Ordinal));
            Assert.Contains(resumed.Lines, l => l.StartsWith("resuming: work a stopped or killed process still held comes back within 30 s", StringComparison.Ordinal));
            var (movedAfter, longestSilence) = ResumedProgress(resumed);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"resumed run: progress moved {movedAfter.TotalSeconds:F1} s after it resumed; longest silence while watching {longestSilence.TotalSeconds:F1} s"));
            Assert.True(movedAfter < TimeSpan.FromSeconds(50), $"the resumed run's progress first moved {movedAfter.TotalSeconds:F0} s after it resumed");
            // A waiting line comes every 10 s without change; on a loaded machine one poll of the task hub can take
            // several more seconds, so the bound is looser than the cadence (it was minutes before the waiting line).
            Assert.True(longestSilence < TimeSpan.FromSeconds(25), $"the resumed run printed nothing for {longestSilence.TotalSeconds:F0} s (a frozen progress line)");
            Assert.Equal(0, cleanResult.ExitCode);
            Assert.True(orphan.HasExited, "the resumed run did not stop the Azurite its killed predecessor left running");
            Assert.Null(CliProcess.RunningAzurite(crashed));
            Assert.Null(CliProcess.RunningAzurite(clean));

            var resumedPairs = PipelineTestData.ParsePairs(await File.ReadAllTextAsync(Path.Combine(crashed, "out", "pairs.jsonl")));
            var cleanPairs = PipelineTestData.ParsePairs(await File.ReadAllTextAsync(Path.Combine(clean, "out", "pairs.jsonl")));
            Assert.NotEmpty(cleanPairs);
            Assert.Equal(resumedPairs.Count, resumedPairs.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(cleanPairs.Select(p => p.Id), resumedPairs.Select(p => p.Id));
            Assert.Equal(cleanPairs.Select(p => p.Line), resumedPairs.Select(p => p.Line));
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(clean, "out", "graphs.json")), await File.ReadAllTextAsync(Path.Combine(crashed, "out", "graphs.json")));
            var (cleanCount, cleanKept) = ManifestPairs(Path.Combine(clean, "out", "manifest.json"));
            var (resumedCount, resumedKept) = ManifestPairs(Path.Combine(crashed, "out", "manifest.json"));
            Assert.Equal(cleanPairs.Count, cleanCount);
            Assert.Equal((cleanCount, cleanKept), (resumedCount, resumedKept));
        }
        finally
        {
            CliProcess.StopAzurite(crashed);
            CliProcess.StopAzurite(clean);
        }
    }

    private Task<CliRun> RunAsync(string workspace, string queries, string documents, string name, Func<string, bool>? killWhen)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["WILDLONG__Workspace"] = workspace,
            ["WILDLONG__Llm__Cache__Directory"] = Path.Combine(workspace, "cache"),
            // The engine's defaults: work the killed process held must come back to the resumed run within ~30 s
            // without tuning (activity locks are short and renewed while running; partition leases 15 s).
            ["WILDLONG__Run__MaxRounds"] = "2",
            ["DOTNET_PROCESSOR_COUNT"] = null,
        };
        string[] arguments = ["run", "--queries", queries, "--documents", documents, "--pairs", PipelineTestData.Pairs.ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(workspace, "out")];
        Directory.CreateDirectory(workspace);
        return CliProcess.RunAsync(arguments, root, environment, line => Log(name, line), killWhen, RunTimeout);
    }

    private void Log(string name, string line)
    {
        try
        {
            output.WriteLine($"{name,-8}{line}");
        }
        catch (InvalidOperationException)
        {
            // The test already ended.
        }
    }

    /// <summary>
    /// From the resumed run's output: how long after its "(resumed)" line its progress first changed (waiting lines
    /// aside), and the longest time between two lines while it was watching the run (until the dataset line).
    /// </summary>
    private static (TimeSpan MovedAfter, TimeSpan LongestSilence) ResumedProgress(CliRun run)
    {
        var start = run.Lines.ToList().FindIndex(l => l.Contains("(resumed)", StringComparison.Ordinal));
        var end = run.Lines.ToList().FindIndex(l => l.StartsWith("dataset:", StringComparison.Ordinal) || l.Contains("queries → meta-information", StringComparison.Ordinal));
        end = end < 0 ? run.Lines.Count - 1 : end;
        string? first = null;
        var moved = run.Elapsed - run.Times[start];
        var longest = TimeSpan.Zero;
        for (var i = start + 1; i <= end; i++)
        {
            longest = TimeSpan.FromTicks(Math.Max(longest.Ticks, (run.Times[i] - run.Times[i - 1]).Ticks));
            var line = run.Lines[i];
            if (line.Contains("(no change for", StringComparison.Ordinal) || line.StartsWith("resuming:", StringComparison.Ordinal))
            {
                continue;
            }

            if (first is null)
            {
                first = line;
            }
            else if (line != first && moved == run.Elapsed - run.Times[start])
            {
                moved = run.Times[i] - run.Times[start];
            }
        }

        return (moved, longest);
    }

    private static (int Pairs, int Kept) ManifestPairs(string path)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(path));
        return (manifest.RootElement.GetProperty("pairs").GetInt32(), manifest.RootElement.GetProperty("counts").GetProperty("pairs_kept").GetInt32());
    }
}
