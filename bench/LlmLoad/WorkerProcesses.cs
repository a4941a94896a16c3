using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using WildLong.Development.Azurite;
using WildLong.Development.Processes;
using WildLong.Simulator;
using WildLong.Storage;

namespace WildLong.Bench.LlmLoad;

/// <summary>
/// The workers mode: real <c>wildlong worker</c> processes on one task hub against one simulator deployment, once with
/// the per-process limiter (<c>WildLong:Model:ShareQuota=false</c>) and once sharing the quota. Per limiter mode this
/// process hosts a fresh simulator deployment (fresh quota and counters) and a private Azurite (fresh task hub, run
/// store and blobs, so the second run finds nothing of the first), starts <see cref="BenchOptions.Processes"/> workers
/// with a fresh response cache, schedules a real run with <c>wildlong run --engine azure-storage</c> and stops that
/// CLI (SIGTERM) as soon as it printed the run id — the run stays in the task hub and the workers do all its work. The
/// window starts with the first model call after that; what the deployment admitted and answered 429 during it comes
/// from the simulator's own counters, the stages the run went through from <c>wildlong status</c> at its end. Then the
/// workers are stopped with SIGTERM, which the CLI treats as Ctrl+C (they exit 130).
/// </summary>
internal static class WorkerProcesses
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(45);

    public static async Task RunAsync(BenchOptions options)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "wildlong.dll");
        if (!File.Exists(cli))
        {
            throw new FileNotFoundException("wildlong.dll is not beside the bench (the project references src/Cli; build it)", cli);
        }

        var root = Directory.CreateTempSubdirectory("wildlong-workers-").FullName;
        var queries = Path.Combine(root, "queries.jsonl");
        var allQueries = Path.Combine(options.DataDirectory, "queries", "queries.jsonl");
        var documents = Path.Combine(options.DataDirectory, "documents", "documents.jsonl");
        await File.WriteAllLinesAsync(queries, options.Queries > 0 ? File.ReadLines(allQueries).Take(options.Queries) : File.ReadLines(allQueries));
        Console.WriteLine(string.Create(Culture, $"workers: {options.Processes} `wildlong worker` processes, {(options.Queries > 0 ? $"the first {options.Queries}" : "all")} queries of {allQueries}, {documents}, --pairs {options.Pairs}; window {options.Minutes} min per limiter mode; logs in {root}"));
        Console.WriteLine($"load before: {Load()}");

        var results = new List<WindowResult>();
        foreach (var (client, shares) in new[] { ("per-process", false), ("shared", true) }.Where(m => options.Limiters.Contains(m.Item1, StringComparer.Ordinal)))
        {
            results.Add(await RunModeAsync(client, shares, options, cli, root, queries, documents));
        }

        Console.WriteLine($"load after: {Load()}");
        Print(results, options);
        Console.WriteLine($"\nlogs, workspaces and datasets kept in {root}");
    }

    private static async Task<WindowResult> RunModeAsync(string client, bool shares, BenchOptions options, string cli, string root, string queries, string documents)
    {
        var simOptions = new SimulatorOptions
        {
            MetricsLogIntervalSeconds = 0,
            Deployments = [new DeploymentOptions("gpt-4o-mini", options.Tpm, options.Rpm)],
            Latency = new LatencyOptions { TimeToFirstTokenMs = 30, PerOutputTokenMs = 0.5, Jitter = 0.5 },
        };
        await using var server = await SimulatorServer.StartAsync(simOptions, CancellationToken.None);
        await using var azurite = await AzuriteLauncher.StartAsync(
            new AzuriteOptions { ReuseRunningInstance = false, DataDirectory = Path.Combine(root, "azurite-" + client) }, NullLogger.Instance, CancellationToken.None);
        var hub = "wlworkers" + Guid.NewGuid().ToString("N")[..8];
        var workspace = Directory.CreateDirectory(Path.Combine(root, "ws-" + client)).FullName;
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["WILDLONG__Workspace"] = workspace,
            ["WILDLONG__Storage__ConnectionString"] = azurite.ConnectionString,
            ["WILDLONG__Engine__Backend"] = "azure-storage",
            ["WILDLONG__Engine__TaskHubName"] = hub,
            ["WILDLONG__Model__Provider"] = "simulator",
            ["WILDLONG__Model__Endpoint"] = server.BaseAddress.ToString(),
            ["WILDLONG__Model__ApiKey"] = server.ApiKey,
            ["WILDLONG__Model__Deployment"] = "gpt-4o-mini",
            ["WILDLONG__Model__Tpm"] = options.Tpm.ToString(Culture),
            ["WILDLONG__Model__Rpm"] = options.Rpm.ToString(Culture),
            ["WILDLONG__Model__ShareQuota"] = shares ? "true" : "false",
            ["WILDLONG__Model__QuotaShareInterval"] = TimeSpan.FromSeconds(options.ShareIntervalSeconds).ToString("c", Culture),
            ["WILDLONG__Llm__Cache__Directory"] = Path.Combine(root, "cache-" + client), // fresh: every call of this mode is paid
        };
        var log = Path.Combine(root, client + ".log");
        Console.WriteLine(string.Create(Culture, $"\n== {client}: {options.Processes} workers on task hub {hub}, quota {(shares ? $"shared (heartbeat {options.ShareIntervalSeconds} s)" : "per process")}, {options.Minutes} min window ..."));

        var workers = new List<CliProcess>();
        try
        {
            var joined = new List<Task<string>>();
            for (var i = 0; i < options.Processes; i++)
            {
                var worker = CliProcess.Start($"worker{i}", cli, ["worker"], environment, root, log, echoErrors: true);
                workers.Add(worker);
                joined.Add(worker.WaitForLineAsync(line => line.StartsWith("worker joined task hub", StringComparison.Ordinal), StartTimeout));
            }

            await Task.WhenAll(joined);
            Console.WriteLine(string.Create(Culture, $"   workers joined: pids {string.Join(", ", workers.Select(w => w.Id))}"));

            // The run is scheduled by the CLI as a user would; the CLI is stopped once the run has its id, so the three
            // workers do the run's work (the run stays in the task hub: a stopped CLI keeps the run's state).
            string runId;
            int runExit;
            using (var run = CliProcess.Start("run", cli,
                ["run", "--queries", queries, "--documents", documents, "--pairs", options.Pairs.ToString(Culture), "--engine", "azure-storage", "--out", Path.Combine(root, "out-" + client)],
                environment, root, log, echoErrors: true))
            {
                var line = await run.WaitForLineAsync(l => l.StartsWith("run ", StringComparison.Ordinal) && l.Contains('(', StringComparison.Ordinal), StartTimeout);
                runId = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
                runExit = await run.StopAsync(StopGrace);
            }

            // The window starts with the workers' first model call, and counts it: before it the run reads and filters
            // its inputs, which no limiter can speed up (tens of seconds for all the queries on a loaded machine). The
            // counters are the ones read before that call (they once were read after it, which left the window's first
            // calls out of its figures though they held the deployment's first 10 s); the clock starts when the
            // simulator has counted the call (read every 50 ms, so the window starts at most that much after it).
            var scheduled = await global::Bench.MetricsAsync(server.BaseAddress);
            var untilFirstCall = Stopwatch.StartNew();
            while ((await global::Bench.MetricsAsync(server.BaseAddress)).Requests == scheduled.Requests && untilFirstCall.Elapsed < StartTimeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }

            var clock = Stopwatch.StartNew();
            var baseline = scheduled;
            var first = Minus(await global::Bench.MetricsAsync(server.BaseAddress), baseline);
            Console.WriteLine(string.Create(Culture, $"   run {runId} scheduled; its CLI stopped with exit {runExit} ({scheduled.Requests} requests, {scheduled.TokensAdmitted:N0} tokens before); first worker call {untilFirstCall.Elapsed.TotalSeconds:0} s later: the window starts with it ({first.Requests} requests, {first.TokensAdmitted:N0} tokens in it by then)"));
            var window = TimeSpan.FromMinutes(options.Minutes);
            SimulatorCounters? firstMinute = null;
            TimeSpan firstMinuteAt = default;
            // A reading every 5 s of the first minute (how the pool starts), then every 30 s (and one at the window's end),
            // each at its planned time, so "after 1st min" starts at 60 s.
            for (var reading = 1; clock.Elapsed < window; reading++)
            {
                var planned = TimeSpan.FromSeconds(Math.Min(reading <= 12 ? 5 * reading : 60 + (30 * (reading - 12)), window.TotalSeconds));
                if (planned > clock.Elapsed)
                {
                    await Task.Delay(planned - clock.Elapsed);
                }

                var now = Minus(await global::Bench.MetricsAsync(server.BaseAddress), baseline);
                if (firstMinute is null && planned == TimeSpan.FromMinutes(1) && window > planned)
                {
                    (firstMinute, firstMinuteAt) = (now, clock.Elapsed);
                }

                var at = clock.Elapsed;
                Console.WriteLine(string.Create(Culture, $"   {at.TotalSeconds,5:0}s  admitted {now.TokensAdmitted,12:N0} tokens ({now.TokensAdmitted / at.TotalMinutes / options.Tpm,6:P1} of TPM)  requests {now.Requests,6}  429s {now.Throttled,5} ({(double)now.Throttled / Math.Max(1, now.Requests):P1})  exited workers {workers.Count(w => w.HasExited)}"));
                if (shares)
                {
                    Console.WriteLine("          pool: " + await PoolAsync(azurite.ConnectionString));
                }
            }

            var atStop = Minus(await global::Bench.MetricsAsync(server.BaseAddress), baseline);
            var elapsed = clock.Elapsed;
            var died = workers.Where(w => w.HasExited).Select(w => string.Create(Culture, $"{w.Name} exit {w.ExitCode}")).ToList();
            var status = await StatusAsync(cli, runId, environment, root);
            Console.WriteLine("   wildlong status at the end of the window:");
            foreach (var line in status)
            {
                Console.WriteLine("     " + line);
            }

            var exits = await Task.WhenAll(workers.Select(w => w.StopAsync(StopGrace)));
            Console.WriteLine($"   workers stopped (SIGTERM): exit codes {string.Join(", ", exits)}");
            return new WindowResult(client, elapsed, atStop, firstMinute, firstMinuteAt, options.Tpm, status, died, exits);
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    /// <summary>What <c>wildlong status &lt;run-id&gt;</c> prints (per-stage done/total, tokens), read from the task hub.</summary>
    private static async Task<IReadOnlyList<string>> StatusAsync(string cli, string runId, IReadOnlyDictionary<string, string?> environment, string root)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { cli, "status", runId })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (await output + await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The quota pool's rows as the workers last wrote them (claim, demand, need per worker), read from the table.</summary>
    private static async Task<string> PoolAsync(string storage)
    {
        var table = new TableServiceClient(storage).GetTableClient(new StorageOptions().Tables.QuotaShares);
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            rows.Add(string.Create(Culture, $"{row.RowKey} claim {row.GetDouble("Claim") ?? double.NaN:0.00} demand {row.GetDouble("Demand") ?? double.NaN:0.00} need {row.GetDouble("Need") ?? 0:0.00}"));
        }

        return rows.Count == 0 ? "(empty)" : string.Join(" | ", rows);
    }

    private static SimulatorCounters Minus(SimulatorCounters now, SimulatorCounters before) => new()
    {
        Requests = now.Requests - before.Requests,
        Completed = now.Completed - before.Completed,
        Throttled = now.Throttled - before.Throttled,
        Rejected = now.Rejected - before.Rejected,
        TokensAdmitted = now.TokensAdmitted - before.TokensAdmitted,
        PromptTokensServed = now.PromptTokensServed - before.PromptTokensServed,
        CompletionTokensServed = now.CompletionTokensServed - before.CompletionTokensServed,
        CacheHits = now.CacheHits - before.CacheHits,
    };

    private static string Load() => OperatingSystem.IsLinux() && File.Exists("/proc/loadavg") ? "load average " + string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" on {Environment.ProcessorCount} cores" : "unknown";

    private static void Print(IReadOnlyList<WindowResult> results, BenchOptions options)
    {
        Console.WriteLine(string.Create(Culture, $"\n## {options.Processes} `wildlong worker` processes, one deployment of {options.Tpm:N0} TPM / {options.Rpm:N0} RPM: the window's figures from the simulator's counters\n"));
        Console.WriteLine("| limiter | window (min) | tokens admitted | admitted/min ÷ TPM | after 1st min | requests | 429s | 429 share | workers that died |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(Culture, $"| {r.Client} | {r.Window.TotalMinutes:0.00} | {r.AtStop.TokensAdmitted:N0} | {r.QuotaUse:P1} | {(r.SteadyQuotaUse is { } steady ? steady.ToString("P1", Culture) : "-")} | {r.AtStop.Requests:N0} | {r.AtStop.Throttled:N0} | {r.ThrottledShare:P2} | {(r.Died.Count == 0 ? "none" : string.Join(", ", r.Died))} |"));
        }

        foreach (var r in results)
        {
            Console.WriteLine($"\nstages of the {r.Client} run at the end of its window (wildlong status):");
            foreach (var line in r.Status)
            {
                Console.WriteLine("  " + line);
            }
        }
    }

    /// <summary>What one limiter mode's window saw at the deployment (counters since the window started).</summary>
    private sealed record WindowResult(string Client, TimeSpan Window, SimulatorCounters AtStop, SimulatorCounters? FirstMinute, TimeSpan FirstMinuteAt, int Tpm,
        IReadOnlyList<string> Status, IReadOnlyList<string> Died, IReadOnlyList<int> Exits)
    {
        public double QuotaUse => AtStop.TokensAdmitted / Window.TotalMinutes / Tpm;

        public double? SteadyQuotaUse => FirstMinute is { } m && Window > FirstMinuteAt
            ? (AtStop.TokensAdmitted - m.TokensAdmitted) / (Window - FirstMinuteAt).TotalMinutes / Tpm
            : null;

        public double ThrottledShare => AtStop.Requests == 0 ? 0 : (double)AtStop.Throttled / AtStop.Requests;
    }
}
