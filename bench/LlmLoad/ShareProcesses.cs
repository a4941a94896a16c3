using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Model;
using WildLong.Llm.Quota;
using WildLong.Simulator;
using WildLong.Storage;
using WildLong.Development.Azurite;
using WildLong.Storage.Quota;

namespace WildLong.Bench.LlmLoad;

/// <summary>
/// The share mode with real processes: this process hosts one simulator deployment and a private Azurite, and starts
/// <see cref="BenchOptions.Processes"/> worker processes of this same program (<c>--child</c>). Each worker has its
/// own limiter and callers, as a <c>wildlong worker</c> has; with sharing on, each runs a
/// <see cref="QuotaShareCoordinator"/> on a <see cref="TableQuotaShareStore"/> in that Azurite, exactly what
/// <c>AddWildLongQuotaSharing</c> wires in a worker. The workers build their workload, report ready, start together
/// on a line from this process, issue calls for the run's minutes, drain, and report their items as one JSON line.
/// </summary>
internal static class ShareProcesses
{
    private const string Ready = "READY";
    private const string Go = "GO";
    private const string ResultPrefix = "RESULT ";
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private static readonly TimeSpan Drain = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ChildDrain = TimeSpan.FromMinutes(1);

    public static async Task<RunResult> RunAsync(string client, BenchOptions options, bool shares)
    {
        var simOptions = new SimulatorOptions
        {
            MetricsLogIntervalSeconds = 0,
            Deployments = [new DeploymentOptions("gpt-4o-mini", options.Tpm, options.Rpm)],
            Latency = new LatencyOptions { TimeToFirstTokenMs = 30, PerOutputTokenMs = 0.5, Jitter = 0.5 },
        };
        await using var server = await SimulatorServer.StartAsync(simOptions, CancellationToken.None);
        await using var azurite = await AzuriteLauncher.StartAsync(new AzuriteOptions { ReuseRunningInstance = false }, null, CancellationToken.None);
        var table = "quota" + Guid.NewGuid().ToString("N")[..12];
        var duration = TimeSpan.FromMinutes(options.Minutes);
        Console.WriteLine(string.Create(Culture, $"\n== {client}: {options.Processes} worker processes, each {options.Workers} extraction + {options.LongWorkers} long-document callers, {options.Minutes} min; quota {(shares ? $"shared through table {table} (heartbeat {options.ShareIntervalSeconds} s)" : "per process")} ..."));

        var children = new List<Process>();
        var results = new ConcurrentBag<ChildResult>();
        var ready = new CountdownEvent(options.Processes);
        var readers = new List<Task>();
        for (var i = 0; i < options.Processes; i++)
        {
            var child = Start(options, i, shares, server, azurite.ConnectionString, table, duration);
            children.Add(child);
            var index = i;
            readers.Add(Task.Run(async () =>
            {
                while (await child.StandardOutput.ReadLineAsync() is { } line)
                {
                    if (line == Ready)
                    {
                        ready.Signal();
                    }
                    else if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
                    {
                        results.Add(JsonSerializer.Deserialize<ChildResult>(line[ResultPrefix.Length..])!);
                    }
                    else
                    {
                        Console.WriteLine($"   [w{index}] {line}");
                    }
                }
            }));
            readers.Add(Task.Run(async () =>
            {
                while (await child.StandardError.ReadLineAsync() is { } line)
                {
                    Console.Error.WriteLine($"   [w{index}] {line}");
                }
            }));
        }

        if (!ready.Wait(TimeSpan.FromMinutes(10)))
        {
            throw new TimeoutException("The worker processes did not report ready within 10 minutes.");
        }

        foreach (var child in children)
        {
            await child.StandardInput.WriteLineAsync(Go);
            await child.StandardInput.FlushAsync();
        }

        var clock = Stopwatch.StartNew();
        var firstMinute = await global::Bench.WatchAsync(server.BaseAddress, clock, duration, options.Tpm,
            now => string.Create(Culture, $" ({(double)now.Throttled / Math.Max(1, now.Requests):P1})"));

        var issuing = clock.Elapsed;
        var atStop = await global::Bench.MetricsAsync(server.BaseAddress);
        using var waitAll = new CancellationTokenSource(Drain + TimeSpan.FromMinutes(1));
        foreach (var child in children)
        {
            try
            {
                await child.WaitForExitAsync(waitAll.Token);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine($"   a worker did not finish draining; killing process {child.Id}");
                child.Kill(entireProcessTree: true);
            }
        }

        await Task.WhenAll(readers);
        var atEnd = await global::Bench.MetricsAsync(server.BaseAddress);
        var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reason, count) in results.SelectMany(r => r.Reasons))
        {
            reasons[reason] = reasons.GetValueOrDefault(reason) + count;
        }

        var started = results.Sum(r => r.Started);
        var written = results.Sum(r => r.Written);
        var failed = results.Sum(r => r.Failed);
        foreach (var r in results.OrderBy(r => r.Index))
        {
            Console.WriteLine(string.Create(Culture, $"   worker {r.Index}: started {r.Started}, written {r.Written}, failed {r.Failed}, cut at the end {r.Cut}; limiter saw {r.Throttled} 429s, admitted {r.Admitted}, last share {r.Share:P1}, intervals holding the turn {r.TurnIntervals}"));
        }

        foreach (var child in children)
        {
            child.Dispose();
        }

        var lost = started - written - failed;
        return new RunResult(client, issuing, clock.Elapsed, started, written, failed, lost, atStop, atEnd, reasons, options.Tpm, firstMinute, results.Sum(r => r.PromptTokensWritten));
    }

    /// <summary>One worker process: its own limiter (and coordinator with a table store when sharing), its callers.</summary>
    public static async Task ChildAsync(BenchOptions options)
    {
        var workload = new Workload(options);
        var ledger = new UsageLedger();
        using var factory = global::Bench.NewFactory(new Uri(options.ChildEndpoint!), options.ChildApiKey!, options, ledger, faults: false);
        using var chat = factory.Create();
        var caller = new LlmCaller(chat, ledger, Options.Create(new LlmCallOptions()), NullLogger<LlmCaller>.Instance);
        QuotaShareCoordinator? coordinator = null;
        using var sharing = new CancellationTokenSource();
        var heartbeats = Task.CompletedTask;
        if (options.ChildShares)
        {
            var store = new TableQuotaShareStore(new TableServiceClient(options.ChildStorage),
                Options.Create(new StorageOptions { Tables = new StorageTableNames { QuotaShares = options.ChildTable! } }));
            coordinator = new QuotaShareCoordinator(factory.Limiter, store, "bench", TimeSpan.FromSeconds(options.ShareIntervalSeconds), member: $"worker-{options.ChildIndex}");
        }

        Console.WriteLine(Ready);
        if (await Console.In.ReadLineAsync() != Go)
        {
            return;
        }

        // As QuotaShareService does: the first heartbeat before any work, then the coordinator's own loop (which leaves
        // the pool once stopped); whether this worker holds the turn is read once an interval.
        var turns = 0;
        if (coordinator is not null)
        {
            await coordinator.HeartbeatAsync(CancellationToken.None);
            var loop = coordinator.RunAsync(sharing.Token);
            heartbeats = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        await Task.Delay(coordinator.Interval, sharing.Token);
                        turns += coordinator.HoldsTurn ? 1 : 0;
                    }
                }
                catch (OperationCanceledException) when (sharing.IsCancellationRequested)
                {
                }

                await loop;
            });
        }

        using var debugStop = new CancellationTokenSource();
        var debug = Environment.GetEnvironmentVariable("LLMLOAD_DEBUG") is null ? Task.CompletedTask : Task.Run(async () =>
        {
            while (!debugStop.IsCancellationRequested)
            {
                await Task.Delay(5000);
                var demand = factory.Limiter.Demand(0);
                Console.WriteLine(string.Create(Culture, $"share {factory.Limiter.Share:P1} live {coordinator?.LiveMembers} turn {coordinator?.HoldsTurn} window {demand.InWindow}/{demand.Capacity} queued {demand.Queued} | {factory.Limiter.Snapshot()}"));
            }
        });

        long nextSmall = -1;
        long nextLong = -1;
        long started = 0;
        long written = 0;
        long failed = 0;
        var reasons = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        // Calls still queued a drain minute after the run stopped issuing are cancelled and counted as cut, not failed:
        // a worker's queue at the end of a run is the backlog of the next minutes, not an outcome of this one.
        using var stopIssuing = new CancellationTokenSource(TimeSpan.FromMinutes(options.Minutes));
        using var hardStop = new CancellationTokenSource(TimeSpan.FromMinutes(options.Minutes) + ChildDrain);
        long cut = 0;
        var offset = options.ChildIndex * 1_000_000_000L;

        async Task CallerAsync(bool isLong)
        {
            while (!stopIssuing.IsCancellationRequested)
            {
                var item = workload.Item(offset + Interlocked.Increment(ref isLong ? ref nextLong : ref nextSmall), isLong);
                Interlocked.Increment(ref started);
                LlmResult result;
                try
                {
                    result = item.IsLong
                        ? await caller.CompleteTextAsync("long_answer", item.Messages, item.MaxOutputTokens, item.Seed, hardStop.Token)
                        : await caller.CompleteJsonAsync("extraction", item.Messages, Workload.ExtractionSchema, "extraction", item.MaxOutputTokens, item.Seed, null, hardStop.Token);
                }
                catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref cut);
                    return;
                }

                if (result.Success)
                {
                    Interlocked.Increment(ref written);
                }
                else if (hardStop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref cut);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    reasons.AddOrUpdate(global::Bench.Reason(result.FailureReason), 1, (_, n) => n + 1);
                }
            }
        }

        var callers = Enumerable.Range(0, options.Workers + options.LongWorkers).Select(i => Task.Run(() => CallerAsync(i >= options.Workers))).ToList();
        await Task.WhenAll(callers.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        await sharing.CancelAsync();
        await heartbeats;
        await debugStop.CancelAsync();
        await debug;
        var snapshot = factory.Limiter.Snapshot();
        var report = new ChildResult(options.ChildIndex, Interlocked.Read(ref started), Interlocked.Read(ref written), Interlocked.Read(ref failed), Interlocked.Read(ref cut),
            new Dictionary<string, long>(reasons, StringComparer.Ordinal), ledger.Total().InputTokens, snapshot.Throttled, snapshot.Admitted, factory.Limiter.Share, turns);
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(report));
    }

    private static Process Start(BenchOptions options, int index, bool shares, SimulatorServer server, string storage, string table, TimeSpan duration)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(ShareProcesses).Assembly.Location);
        }

        foreach (var arg in new[]
        {
            "--child", index.ToString(Culture), "--child-shares", shares ? "true" : "false",
            "--child-endpoint", server.BaseAddress.ToString(), "--child-api-key", server.ApiKey,
            "--child-storage", storage, "--child-table", table,
            "--minutes", duration.TotalMinutes.ToString(Culture), "--tpm", options.Tpm.ToString(Culture), "--rpm", options.Rpm.ToString(Culture),
            "--workers", options.Workers.ToString(Culture), "--long-workers", options.LongWorkers.ToString(Culture),
            "--long-min", options.LongMinTokens.ToString(Culture), "--long-max", options.LongMaxTokens.ToString(Culture),
            "--headroom", options.Headroom.ToString(Culture), "--share-interval", options.ShareIntervalSeconds.ToString(Culture),
            "--data", options.DataDirectory, "--seed", options.Seed.ToString(Culture),
        })
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("Could not start a worker process.");
    }

    /// <summary>What one worker process reports when it has drained.</summary>
    private sealed record ChildResult(int Index, long Started, long Written, long Failed, long Cut, Dictionary<string, long> Reasons, long PromptTokensWritten,
        long Throttled, long Admitted, double Share, int TurnIntervals);
}
