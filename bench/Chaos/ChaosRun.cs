using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Queries;
using WildLong.Development.Azurite;
using WildLong.Development.Processes;

namespace WildLong.Bench.Chaos;

/// <summary>
/// The chaos bench: a run of the inputs under an injected schedule — random <c>kill -9</c>s of the CLI and of a
/// <c>wildlong worker</c> beside it, Azurite restarts (stopped so it saves, started again on the same data), and the
/// simulator failing a share of requests with every fault kind it has — resumed each time by running the same command
/// again; then a clean run (no faults, no kills) of the same inputs minus the queries the chaos run quarantined before
/// the graph; finally the checks against the clean run and one table of figures. Both runs use
/// an Azurite of their own (the bench's, shared by the CLI and the worker through WildLong:Storage) and their own
/// response cache, so nothing the clean run paid for helps the chaos run.
/// </summary>
internal sealed class ChaosRun(ChaosOptions options)
{
    private static readonly string[] FaultRates =
        ["ServerErrorRate", "ServiceUnavailableRate", "ConnectionResetRate", "HangRate", "MalformedJsonRate", "TruncatedContentRate", "SchemaViolationRate"];

    private readonly Random random = new(options.Seed);
    private readonly List<CliProcess> children = [];
    private readonly List<int> azuritePids = [];
    private string root = string.Empty;

    public async Task<int> RunAsync()
    {
        var repository = AzuriteLauncher.FindRepositoryRoot() ?? throw new InvalidOperationException("run the bench inside the repository (it needs tools/azurite and samples/)");
        var queries = Path.GetFullPath(options.Queries ?? Path.Combine(repository, "samples", "queries.jsonl"));
        var documents = Path.GetFullPath(options.Documents ?? Path.Combine(repository, "samples", "documents.jsonl"));
        root = options.Root ?? Directory.CreateTempSubdirectory("wildlong-chaos-").FullName;
        var cli = Path.Combine(AppContext.BaseDirectory, "wildlong.dll");
        var log = Path.Combine(root, "chaos.log");
        Console.WriteLine($"chaos: {options.Pairs} pairs from {queries} and {documents}; {options.Kills} kills, {options.AzuriteRestarts} Azurite restarts, faults {options.FaultRate:P0}; log {log}");
        var watch = Stopwatch.StartNew();

        // 1. The chaos run: kills, restarts and faults, resumed by the same command each time.
        var chaosWatch = Stopwatch.StartNew();
        var azuriteChaos = await StartAzuriteAsync("chaos");
        var (cliKills, workerKills, restarts, starts) = (0, 0, 0, 0);
        var restartAt = Enumerable.Range(1, options.AzuriteRestarts).Select(i => i * options.Kills / (options.AzuriteRestarts + 1)).ToHashSet();
        CliProcess? run = null, worker = null;
        var finished = false;
        (int Events, int Blobs, int Found, int Instances)? duplicates = null;
        for (var kill = 0; kill < options.Kills && !finished; kill++)
        {
            if (run is null || run.HasExited)
            {
                run = Start("run", cli, RunArguments(queries, documents, "chaos"), Environment("chaos", azuriteChaos, options.FaultRate), log);
                starts++;
            }

            if (worker is null || worker.HasExited)
            {
                worker = Start("worker", cli, ["worker"], Environment("chaos-worker", azuriteChaos, options.FaultRate), log);
            }

            var pause = Task.Delay(TimeSpan.FromSeconds(random.Next(options.MinSecondsBetweenKills, options.MaxSecondsBetweenKills + 1)));
            if (duplicates is null && await DuplicateUploadEvents.WaitForInputsAsync(azuriteChaos.ConnectionString, TimeSpan.FromMinutes(2)))
            {
                duplicates = await DuplicateUploadEvents.SendAsync(azuriteChaos.ConnectionString, CancellationToken.None);
                Console.WriteLine($"  {chaosWatch.Elapsed.TotalSeconds,5:F0} s {duplicates.Value.Events} blob-upload events for {duplicates.Value.Blobs} blobs (each twice) through the trigger functions");
            }

            await pause;
            if (run.HasExited)
            {
                finished = run.ExitCode is 0 or 5;
                Console.WriteLine($"  run ended by itself with exit {run.ExitCode} before kill {kill + 1}{(run.LastError is { } ended ? ": " + ended : string.Empty)}");
                if (finished)
                {
                    break;
                }

                continue;
            }

            if (random.NextDouble() < 0.6)
            {
                run.KillHard();
                cliKills++;
                Console.WriteLine($"  {chaosWatch.Elapsed.TotalSeconds,5:F0} s kill -9 of the CLI (pid {run.Id})");
            }
            else
            {
                worker.KillHard();
                workerKills++;
                Console.WriteLine($"  {chaosWatch.Elapsed.TotalSeconds,5:F0} s kill -9 of the worker (pid {worker.Id})");
            }

            if (restartAt.Contains(kill + 1))
            {
                // Everything connected to it goes down with it; it saves, starts again on the same data (new ports).
                run.KillHard();
                worker.KillHard();
                await azuriteChaos.DisposeAsync();
                azuriteChaos = await StartAzuriteAsync("chaos");
                restarts++;
                Console.WriteLine($"  {chaosWatch.Elapsed.TotalSeconds,5:F0} s Azurite restarted");
            }
        }

        if (!finished)
        {
            if (run is null || run.HasExited)
            {
                run = Start("run", cli, RunArguments(queries, documents, "chaos"), Environment("chaos", azuriteChaos, options.FaultRate), log);
                starts++;
            }

            if (worker is null || worker.HasExited)
            {
                worker = Start("worker", cli, ["worker"], Environment("chaos-worker", azuriteChaos, options.FaultRate), log);
            }

            await run.WaitAsync(TimeSpan.FromMinutes(options.FinalTimeoutMinutes));
        }

        run!.KillHard();
        var chaosExit = run.ExitCode;
        var lastError = run.LastError;
        if (worker is not null)
        {
            await worker.StopAsync(TimeSpan.FromSeconds(30));
        }

        await azuriteChaos.DisposeAsync();
        var chaosTime = chaosWatch.Elapsed;
        Console.WriteLine($"chaos run: exit {chaosExit} in {chaosTime.TotalSeconds:F0} s");
        var chaos = DatasetFigures.Read(Path.Combine(root, "out-chaos"));

        // 2. The clean run: no faults, no kills, over the inputs the chaos run could use — its queries minus those it
        //    quarantined (with a reason) before the graph, so the graphs must agree to the count.
        var (cleanQueries, withheld) = QueriesWithout(queries, (chaos?.QuarantinedBeforeGraph.Select(q => q.Item) ?? []).ToHashSet(StringComparer.Ordinal));
        var cleanWatch = Stopwatch.StartNew();
        int cleanExit;
        await using (var azurite = await StartAzuriteAsync("clean"))
        {
            var cleanRun = Start("clean", cli, RunArguments(cleanQueries, documents, "clean"), Environment("clean", azurite, faults: 0), log);
            await cleanRun.WaitAsync(TimeSpan.FromMinutes(options.FinalTimeoutMinutes));
            cleanRun.KillHard();
            cleanExit = cleanRun.ExitCode;
        }

        var cleanTime = cleanWatch.Elapsed;
        Console.WriteLine($"clean run: exit {cleanExit} in {cleanTime.TotalSeconds:F0} s{(withheld > 0 ? $", without the {withheld} queries the chaos run quarantined before the graph" : string.Empty)}");

        // 3. The checks (what is left running first, before the bench's own clean-up would hide it).
        var leftover = Leftovers();
        foreach (var child in children)
        {
            child.Dispose();
        }

        var clean = DatasetFigures.Read(Path.Combine(root, "out-clean"));
        var extraQuarantined = chaos is null || clean is null ? [] : chaos.QuarantineKeys.Except(clean.QuarantineKeys).Except(chaos.QuarantinedBeforeGraph).ToList();
        var checks = new List<(string Check, bool Passed, string Figure)>
        {
            ("chaos run ended like the clean run", chaosExit == cleanExit && chaos is not null, $"exit {chaosExit} (clean {cleanExit}){(lastError is null ? string.Empty : "; " + lastError)}"),
            ("dataset complete (as many pairs as the clean run)", chaos is not null && clean is not null && chaos.Pairs == clean.Pairs && chaos.ManifestPairs == chaos.Pairs, $"{chaos?.Pairs} pairs (clean {clean?.Pairs}); manifest {chaos?.ManifestPairs}"),
            ("no duplicate record", chaos is not null && chaos.DistinctIds == chaos.Pairs, $"{chaos?.DistinctIds} distinct ids of {chaos?.Pairs}"),
            ("no duplicate instruction", chaos is not null && chaos.DistinctInstructions == chaos.Pairs, $"{chaos?.DistinctInstructions} distinct instructions of {chaos?.Pairs}"),
            ("graph counts equal to the clean run's", chaos is not null && clean is not null && chaos.GraphsJson == clean.GraphsJson,
                $"records {chaos?.GraphRecords} / nodes {chaos?.GraphNodes} / node mass {chaos?.GraphNodeCount} (clean {clean?.GraphRecords} / {clean?.GraphNodes} / {clean?.GraphNodeCount}); "
                + $"{withheld} queries quarantined under faults before the graph, withheld from the clean run"),
            // Faults may also quarantine later work (an instruction, a pair) that the clean run keeps; then other pairs take its place.
            ("same pairs as the clean run", extraQuarantined.Count > 0 || (chaos is not null && clean is not null && chaos.Ids.SequenceEqual(clean.Ids)),
                $"{chaos?.Ids.Intersect(clean?.Ids ?? []).Count()} shared ids of {chaos?.Pairs}"
                + (extraQuarantined.Count > 0 ? $"; not comparable: {extraQuarantined.Count} later items quarantined under faults that the clean run kept ({Describe(extraQuarantined)})" : string.Empty)),
            ("every item kept or quarantined with a reason", chaos is not null && chaos.QuarantinedWithoutReason == 0, $"{chaos?.Pairs} kept, {chaos?.Quarantined} quarantined, {chaos?.QuarantinedWithoutReason} without a reason"),
            ("duplicate upload events start each blob's work once", duplicates is { } d && d.Found == d.Blobs && d.Instances == d.Blobs,
                duplicates is { } e ? $"{e.Events} events for {e.Blobs} blobs → {e.Instances} trigger instances" : "not sent (the inputs never appeared)"),
            ("no process left", leftover.Count == 0, leftover.Count == 0 ? "none" : string.Join(", ", leftover)),
        };

        Console.WriteLine();
        Console.WriteLine($"| figure | value |");
        Console.WriteLine($"|---|---|");
        Console.WriteLine($"| inputs | {Path.GetFileName(queries)}, {Path.GetFileName(documents)}; {options.Pairs} pairs asked |");
        Console.WriteLine($"| schedule | {cliKills} kill -9 of the CLI, {workerKills} of the worker, {restarts} Azurite restarts, {starts} CLI starts; faults {options.FaultRate:P0} over {FaultRates.Length} kinds; seed {options.Seed} |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| wall time | clean run {cleanTime.TotalSeconds:F0} s, chaos run {chaosTime.TotalSeconds:F0} s, bench {watch.Elapsed.TotalSeconds:F0} s |"));
        foreach (var (check, passed, figure) in checks)
        {
            Console.WriteLine($"| {check} | {(passed ? "PASS" : "FAIL")}: {figure} |");
        }

        if (options.Root is null && checks.All(c => c.Passed))
        {
            Directory.Delete(root, recursive: true);
        }
        else
        {
            Console.WriteLine($"workspaces, datasets and the log kept in {root}");
        }

        return checks.All(c => c.Passed) ? 0 : 1;
    }

    /// <summary>
    /// The query input without the queries whose ids are in <paramref name="ids"/>: a copy under the same file name in
    /// the bench's folder, each withheld line left blank so every other line keeps its number (ids that default to
    /// file:line stay the same). The original when nothing is withheld or the input is not one JSONL file.
    /// </summary>
    private (string Path, int Withheld) QueriesWithout(string queries, HashSet<string> ids)
    {
        if (ids.Count == 0 || !File.Exists(queries) || !queries.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return (queries, 0);
        }

        var reader = new JsonlQueryReader(Options.Create(new QueryReaderOptions()));
        var lines = new HashSet<long>();
        foreach (var item in reader.ReadAsync(queries).ToBlockingEnumerable())
        {
            if (item.IsSuccess && ids.Contains(item.Value!.Id))
            {
                lines.Add(long.Parse(item.Value.Origin![(item.Value.Origin!.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
            }
        }

        var folder = Directory.CreateDirectory(Path.Combine(root, "clean-inputs")).FullName;
        var copy = Path.Combine(folder, Path.GetFileName(queries));
        File.WriteAllLines(copy, File.ReadLines(queries).Select((line, index) => lines.Contains(index + 1) ? string.Empty : line));
        return (copy, lines.Count);
    }

    private static string Describe(IEnumerable<(string Stage, string Item)> items)
        => string.Join(", ", items.GroupBy(i => i.Stage, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));

    private string[] RunArguments(string queries, string documents, string name)
        => ["run", "--queries", queries, "--documents", documents, "--pairs", options.Pairs.ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(root, "out-" + name)];

    private CliProcess Start(string name, string cli, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string log)
    {
        var child = CliProcess.Start(name, cli, arguments, environment, root, log);
        children.Add(child);
        return child;
    }

    private Dictionary<string, string?> Environment(string name, AzuriteLauncher azurite, double faults)
    {
        var workspace = Path.Combine(root, "ws-" + name);
        Directory.CreateDirectory(workspace);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["WILDLONG__Workspace"] = workspace,
            ["WILDLONG__Storage__ConnectionString"] = azurite.ConnectionString,
            ["WILDLONG__Llm__Cache__Directory"] = Path.Combine(root, "cache-" + (name.StartsWith("chaos", StringComparison.Ordinal) ? "chaos" : "clean")),
            ["WILDLONG__Model__RequestTimeout"] = "00:00:20", // a hung request gives up after this (not in the run fingerprint)
            ["WILDLONG__Simulator__Faults__Seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
            ["WILDLONG__Simulator__Faults__HangSeconds"] = "60",
        };
        foreach (var rate in FaultRates)
        {
            environment["WILDLONG__Simulator__Faults__" + rate] = (faults / FaultRates.Length).ToString("R", CultureInfo.InvariantCulture);
        }

        return environment;
    }

    private async Task<AzuriteLauncher> StartAzuriteAsync(string name)
    {
        var launcher = await AzuriteLauncher.StartAsync(new AzuriteOptions { ReuseRunningInstance = false, DataDirectory = Path.Combine(root, "azurite-" + name) }, NullLogger.Instance, CancellationToken.None);
        if (launcher.ProcessId is { } pid)
        {
            azuritePids.Add(pid);
        }

        return launcher;
    }

    /// <summary>Processes still alive that the bench started (CLIs, workers, Azurites) or whose command line names its folder.</summary>
    private List<string> Leftovers()
    {
        var left = new List<string>();
        foreach (var child in children.Where(c => !c.HasExited))
        {
            left.Add($"{child.Name} {child.Id}");
        }

        foreach (var pid in azuritePids.Where(IsAlive))
        {
            left.Add($"azurite {pid}");
        }

        if (OperatingSystem.IsLinux())
        {
            var ancestors = Ancestors(); // the bench itself and whatever started it (a shell, `timeout`) name its folder too
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) && !ancestors.Contains(pid))
                {
                    try
                    {
                        if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(root, StringComparison.Ordinal) && !left.Any(l => l.EndsWith($" {pid}", StringComparison.Ordinal)))
                        {
                            left.Add($"pid {pid}");
                        }
                    }
                    catch (IOException)
                    {
                    }
                    catch (UnauthorizedAccessException)
                    {
                    }
                }
            }
        }

        return left;
    }

    private static HashSet<int> Ancestors()
    {
        var pids = new HashSet<int>();
        for (var pid = System.Environment.ProcessId; pid > 1 && pids.Add(pid);)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                pid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
            {
                break;
            }
        }

        return pids;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
