using System.Globalization;
using WildLong.Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.Crash;

/// <summary>
/// Signals through the real CLI: <c>wildlong worker</c> leaves on SIGTERM, and a durable <c>run</c> stops on SIGINT —
/// each within seconds, with the one documented line (<c>error: stopped. …</c>), exit code 130, and its Azurite
/// stopped (nothing left running). Both go side by side, each in its own workspace.
/// </summary>
[Trait(TestCategories.Name, TestCategories.CliProcess)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class SignalTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string root = Directory.CreateTempSubdirectory("wildlong-signal-").FullName;

    public void Dispose()
    {
        foreach (var workspace in Directory.GetDirectories(root, "ws-*"))
        {
            CliProcess.StopAzurite(workspace);
        }

        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task A_worker_stops_on_SIGTERM_and_a_run_on_SIGINT_with_one_line_and_exit_130_leaving_nothing_running()
    {
        var workerSpace = Path.Combine(root, "ws-worker");
        var runSpace = Path.Combine(root, "ws-run");
        var worker = RunAsync(workerSpace, "worker", ["worker"], line => line.StartsWith("worker joined", StringComparison.Ordinal), "TERM");
        var run = RunAsync(runSpace, "run", ["run", "--sample", "--pairs", "3", "--out", Path.Combine(runSpace, "out")],
            line => line.StartsWith("run ", StringComparison.Ordinal), "INT");
        var (workerResult, runResult) = (await worker, await run);

        foreach (var (name, result, next) in new[] { ("worker", workerResult, "The worker left the task hub"), ("run", runResult, "`wildlong resume run-") })
        {
            Assert.True(result.Killed, $"{name}: the signal was never sent: {string.Join(" | ", result.Lines.TakeLast(5))}");
            var stoppedIn = result.Elapsed - result.KilledAt!.Value;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: exit {result.ExitCode} {stoppedIn.TotalSeconds:F1} s after the signal"));
            Assert.True(result.ExitCode == 130, $"{name}: exit {result.ExitCode}: {string.Join(" | ", result.Lines.TakeLast(5))}");
            var error = Assert.Single(result.Lines, l => l.StartsWith("error:", StringComparison.Ordinal));
            Assert.StartsWith("error: stopped. ", error, StringComparison.Ordinal);
            Assert.Contains(next, error, StringComparison.Ordinal);
            Assert.DoesNotContain(result.Lines, l => l.Contains("   at ", StringComparison.Ordinal));
            Assert.InRange(stoppedIn.TotalSeconds, 0, 40);
        }

        Assert.Null(CliProcess.RunningAzurite(workerSpace));
        Assert.Null(CliProcess.RunningAzurite(runSpace));
        Assert.False(File.Exists(Path.Combine(workerSpace, "wildlong.lock.json")), "the worker left its workspace lock holder behind");
    }

    private Task<CliRun> RunAsync(string workspace, string name, string[] arguments, Func<string, bool> signalWhen, string signal)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["WILDLONG__Workspace"] = workspace,
            ["WILDLONG__Llm__Cache__Directory"] = Path.Combine(workspace, "cache"),
            ["DOTNET_PROCESSOR_COUNT"] = null,
        };
        Directory.CreateDirectory(workspace);
        return CliProcess.RunAsync(arguments, root, environment, line => Log(name, line), signalWhen, Timeout, signal);
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
}
