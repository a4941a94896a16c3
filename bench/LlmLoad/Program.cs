using System.Collections.Concurrent;
using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenAI;
using WildLong.Bench.LlmLoad;
using WildLong.Core.Model;
using WildLong.Development.Processes;
using WildLong.Llm;
using WildLong.Llm.Costs;
using WildLong.Llm.Quota;
using WildLong.Simulator;

TerminationSignal.ExitCleanlyOnSigterm();
var options = BenchOptions.Parse(args);
var culture = CultureInfo.InvariantCulture;
if (options.Child)
{
    await ShareProcesses.ChildAsync(options);
    return;
}

Console.WriteLine(string.Create(culture, $"Deployment {options.Tpm:N0} TPM / {options.Rpm:N0} RPM; runs of {options.Minutes} min; long calls of {options.LongMinTokens:N0}-{options.LongMaxTokens:N0} prompt tokens, extraction calls of 1-2K"));
if (options.Mode is "workers")
{
    // Real `wildlong worker` processes doing a real run; they read the shared data themselves.
    await WorkerProcesses.RunAsync(options);
    return;
}

if (options.Mode is "share")
{
    // The worker processes build their own workload.
    var separate = await ShareProcesses.RunAsync("separate", options, shares: false);
    var shared = await ShareProcesses.RunAsync("shared", options, shares: true);
    Bench.PrintQuotaTable([separate, shared]);
    return;
}

Console.WriteLine(string.Create(culture, $"Building the workload from {options.DataDirectory} ..."));
var workload = new Workload(options);
Console.WriteLine(string.Create(culture, $"  {workload.Queries} queries, {workload.Documents} documents"));
if (options.Mode is "charges")
{
    // What the limiter charges an extraction call and how much of it is the schema the server bills as prompt.
    var structured = new ChatOptions { MaxOutputTokens = 300, ResponseFormat = ChatResponseFormat.ForJsonSchema(Workload.ExtractionSchema, "extraction") };
    var charges = Enumerable.Range(0, 400).Select(i => PromptTokenEstimator.AdmissionCharge(workload.Item(i, isLong: false).Messages, structured, 300)).ToList();
    var schemaTokens = PromptTokenEstimator.SchemaTokens(structured);
    Console.WriteLine(string.Create(culture, $"extraction calls: mean admission charge {charges.Average():N0} tokens (min {charges.Min():N0}, max {charges.Max():N0}), of which the schema {schemaTokens} ({schemaTokens / charges.Average():P1})"));
    return;
}


var runs = new List<RunResult>();
if (options.Mode is "all" or "quota" or "wildlong")
{
    runs.Add(await Bench.RunAsync("wildlong", options, workload, faults: false));
}

if (options.Mode is "all" or "quota" or "naive")
{
    runs.Add(await Bench.RunAsync("naive", options, workload, faults: false));
}

if (runs.Count > 0)
{
    Bench.PrintQuotaTable(runs);
}

if (options.Mode is "share-in-process")
{
    var separate = await Bench.RunAsync("separate", options, workload, faults: false);
    var shared = await Bench.RunAsync("shared", options, workload, faults: false);
    Bench.PrintQuotaTable([separate, shared]);
}

if (options.Mode is "all" or "faults")
{
    var storm = await Bench.RunAsync("wildlong", options, workload, faults: true);
    Bench.PrintFaultStorm(storm);
}

/// <summary>The benchmark runs: one simulator per run (fresh quota), the client under test, timed callers.</summary>
internal static class Bench
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions MetricsJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly TimeSpan Drain = TimeSpan.FromMinutes(5);

    public static async Task<RunResult> RunAsync(string client, BenchOptions options, Workload workload, bool faults)
    {
        var simOptions = new SimulatorOptions
        {
            MetricsLogIntervalSeconds = 0,
            Deployments = [new DeploymentOptions("gpt-4o-mini", options.Tpm, options.Rpm)],
            Latency = new LatencyOptions { TimeToFirstTokenMs = 30, PerOutputTokenMs = 0.5, Jitter = 0.5 },
        };
        if (faults)
        {
            var each = options.FaultRate / 7;
            simOptions.Faults = new FaultOptions
            {
                ServerErrorRate = each, ServiceUnavailableRate = each, ConnectionResetRate = each, HangRate = each,
                MalformedJsonRate = each, TruncatedContentRate = each, SchemaViolationRate = each,
            };
        }

        await using var server = await SimulatorServer.StartAsync(simOptions, CancellationToken.None);
        var ledger = new UsageLedger();
        ChatClientFactory? factory = null;
        IChatClient chat;
        int workers;
        int longWorkers;
        if (client == "naive")
        {
            // Fixed concurrency; the SDK's default retry policy (3 retries, honours retry-after) is all it has.
            chat = new OpenAIClient(new ApiKeyCredential(server.ApiKey), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") })
                .GetChatClient("gpt-4o-mini").AsIChatClient();
            longWorkers = (int)Math.Round(options.NaiveConcurrency * (double)options.LongWorkers / (options.Workers + options.LongWorkers));
            workers = options.NaiveConcurrency - longWorkers;
        }
        else
        {
            factory = NewFactory(server.BaseAddress, server.ApiKey, options, ledger, faults);
            chat = factory.Create();
            workers = options.Workers;
            longWorkers = options.LongWorkers;
        }

        var caller = new LlmCaller(chat, ledger, Options.Create(new LlmCallOptions()), NullLogger<LlmCaller>.Instance);
        var callers = new List<LlmCaller> { caller };
        var others = new List<(ChatClientFactory Factory, IChatClient Chat)>();
        using var sharing = new CancellationTokenSource();
        var heartbeats = new List<Task>();
        if (client is "separate" or "shared")
        {
            // N worker processes on one deployment, each with its own limiter (what separate processes have) and the
            // same number of callers: "separate" limiters each take the whole quota (the per-process limiter of
            // before); "shared" ones keep 1/n of it through a quota pool (in memory here, a table across processes).
            var pool = new InMemoryQuotaShareStore();
            for (var i = 1; i < options.Processes; i++)
            {
                var other = NewFactory(server.BaseAddress, server.ApiKey, options, ledger, faults);
                var otherChat = other.Create();
                others.Add((other, otherChat));
                callers.Add(new LlmCaller(otherChat, ledger, Options.Create(new LlmCallOptions()), NullLogger<LlmCaller>.Instance));
            }

            if (client == "shared")
            {
                // Workers that start together: each joins (the first is alone, the others settle), then heartbeats on.
                var coordinators = others.Select(o => o.Factory.Limiter).Prepend(factory!.Limiter)
                    .Select(limiter => new QuotaShareCoordinator(limiter, pool, "bench", TimeSpan.FromSeconds(options.ShareIntervalSeconds))).ToList();
                foreach (var coordinator in coordinators)
                {
                    await coordinator.HeartbeatAsync(CancellationToken.None);
                }

                heartbeats.AddRange(coordinators.Select(c => Task.Run(() => c.RunAsync(sharing.Token))));
            }

            workers *= options.Processes;
            longWorkers *= options.Processes;
        }

        var minutes = faults ? options.FaultMinutes : options.Minutes;
        Console.WriteLine(string.Create(Culture, $"\n== {client}{(faults ? $" under a {options.FaultRate:P0} fault storm" : string.Empty)}: {minutes} min, {workers} extraction + {longWorkers} long-document callers ..."));
        using var debugStop = new CancellationTokenSource();
        var debug = factory is null || Environment.GetEnvironmentVariable("LLMLOAD_DEBUG") is null ? Task.CompletedTask : Task.Run(async () =>
        {
            while (!debugStop.IsCancellationRequested)
            {
                await Task.Delay(1000);
                Console.WriteLine(factory.Limiter.Snapshot());
            }
        });
        var result = await DriveAsync(client, callers, workload, workers, longWorkers, TimeSpan.FromMinutes(minutes), server, options.Tpm);
        await sharing.CancelAsync();
        await Task.WhenAll(heartbeats);
        foreach (var (otherFactory, otherChat) in others)
        {
            otherChat.Dispose();
            otherFactory.Dispose();
        }

        result = result with { PromptTokensWritten = ledger.Total().InputTokens };
        await debugStop.CancelAsync();
        await debug;
        if (factory is not null)
        {
            var limiter = factory.Limiter.Snapshot();
            Console.WriteLine(string.Create(Culture, $"   limiter: concurrency {limiter.ConcurrencyLimit}, decreases {limiter.ConcurrencyDecreases}, 429s seen {limiter.Throttled}, admitted {limiter.Admitted}"));
        }

        Console.WriteLine(new CostCalculator(new ModelPricing()).Calculate(ledger).ToTable());
        chat.Dispose();
        factory?.Dispose();
        return result;
    }

    public static ChatClientFactory NewFactory(Uri endpoint, string apiKey, BenchOptions options, UsageLedger ledger, bool faults)
        => new(Options.Create(new ModelOptions
        {
            Provider = ModelProviders.Simulator,
            Endpoint = endpoint,
            ApiKey = apiKey,
            Deployment = "gpt-4o-mini",
            Tpm = options.Tpm,
            Rpm = options.Rpm,
            QuotaHeadroom = options.Headroom,
            RequestTimeout = faults ? TimeSpan.FromSeconds(5) : TimeSpan.FromMinutes(2),
            TotalTimeout = TimeSpan.FromMinutes(5),
        }), ledger);

    /// <summary>Callers are spread over <paramref name="callers"/> (one per simulated worker process) round robin.</summary>
    private static async Task<RunResult> DriveAsync(string client, List<LlmCaller> callers, Workload workload, int workers, int longWorkers, TimeSpan duration, SimulatorServer server, int tpm)
    {
        long nextSmall = -1;
        long nextLong = -1;
        long started = 0;
        long written = 0;
        long failed = 0;
        var reasons = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var stopIssuing = new CancellationTokenSource();
        using var hardStop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();

        async Task WorkerAsync(LlmCaller caller, bool isLong)
        {
            while (!stopIssuing.IsCancellationRequested)
            {
                var item = workload.Item(Interlocked.Increment(ref isLong ? ref nextLong : ref nextSmall), isLong);
                Interlocked.Increment(ref started);
                var result = item.IsLong
                    ? await caller.CompleteTextAsync("long_answer", item.Messages, item.MaxOutputTokens, item.Seed, hardStop.Token)
                    : await caller.CompleteJsonAsync("extraction", item.Messages, Workload.ExtractionSchema, "extraction", item.MaxOutputTokens, item.Seed, null, hardStop.Token);
                if (result.Success)
                {
                    Interlocked.Increment(ref written);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    reasons.AddOrUpdate(Reason(result.FailureReason), 1, (_, n) => n + 1);
                }
            }
        }

        var tasks = Enumerable.Range(0, workers + longWorkers).Select(i => Task.Run(() => WorkerAsync(callers[i % callers.Count], i >= workers))).ToList();
        var firstMinute = await WatchAsync(server.BaseAddress, clock, duration, tpm,
            _ => string.Create(Culture, $"  written {Interlocked.Read(ref written),6}  failed {Interlocked.Read(ref failed),4}"));

        await stopIssuing.CancelAsync();
        var issuing = clock.Elapsed;
        var atStop = await MetricsAsync(server);
        try
        {
            await Task.WhenAll(tasks).WaitAsync(Drain);
        }
        catch (TimeoutException)
        {
            await hardStop.CancelAsync();
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        var atEnd = await MetricsAsync(server);
        var lost = Interlocked.Read(ref started) - Interlocked.Read(ref written) - Interlocked.Read(ref failed);
        return new RunResult(client, issuing, clock.Elapsed, started, written, failed, lost, atStop, atEnd, reasons, tpm, firstMinute, 0);
    }

    /// <summary>The reason without item-specific numbers, so failures group by kind.</summary>
    public static string Reason(string? reason)
    {
        var text = reason ?? "(none)";
        var cut = text.IndexOfAny(['(', '\n'], Math.Min(text.Length, 40));
        text = cut > 0 ? text[..cut] : text;
        return text.Length > 90 ? text[..90] : text;
    }

    private static Task<SimulatorCounters> MetricsAsync(SimulatorServer server) => MetricsAsync(server.BaseAddress);

    /// <summary>
    /// Prints what the simulator admitted every 30 s (tokens and their share of TPM, requests, 429s, then
    /// <paramref name="extra"/>) until <paramref name="duration"/> has passed on <paramref name="clock"/>; returns the
    /// first reading after one minute (elapsed time, tokens admitted), the start of the steady-state figure.
    /// </summary>
    public static async Task<(TimeSpan, long)?> WatchAsync(Uri simulator, Stopwatch clock, TimeSpan duration, long tpm, Func<SimulatorCounters, string> extra)
    {
        (TimeSpan, long)? firstMinute = null;
        using (var progress = new PeriodicTimer(TimeSpan.FromSeconds(30)))
        {
            while (clock.Elapsed < duration && await progress.WaitForNextTickAsync())
            {
                var now = await MetricsAsync(simulator);
                if (firstMinute is null && clock.Elapsed >= TimeSpan.FromMinutes(1))
                {
                    firstMinute = (clock.Elapsed, now.TokensAdmitted);
                }

                Console.WriteLine(string.Create(Culture, $"   {clock.Elapsed.TotalSeconds,5:0}s  admitted {now.TokensAdmitted,12:N0} tokens ({now.TokensAdmitted / clock.Elapsed.TotalMinutes / tpm,6:P1} of TPM)  requests {now.Requests,6}  429s {now.Throttled,5}{extra(now)}"));
            }
        }

        var remaining = duration - clock.Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }

        return firstMinute;
    }

    public static async Task<SimulatorCounters> MetricsAsync(Uri simulator)
    {
        using var http = new HttpClient { BaseAddress = simulator };
        var snapshot = JsonSerializer.Deserialize<SimulatorMetricsSnapshot>(await http.GetStringAsync(new Uri("metrics", UriKind.Relative)), MetricsJson)!;
        return snapshot.Totals;
    }

    public static void PrintQuotaTable(IReadOnlyList<RunResult> runs)
    {
        Console.WriteLine("\n## Quota run: tokens admitted per minute vs quota, 429 share, items lost\n");
        Console.WriteLine("| client | minutes | tokens admitted | admitted/min ÷ TPM | after 1st min | requests | 429s | 429 share | items started | written | failed | lost | prompt tokens written/min |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            Console.WriteLine(string.Create(Culture, $"| {r.Client} | {r.Issuing.TotalMinutes:0.00} | {r.AtStop.TokensAdmitted:N0} | {r.QuotaUse:P1} | {(r.SteadyQuotaUse is { } steady ? steady.ToString("P1", Culture) : "-")} | {r.AtEnd.Requests:N0} | {r.AtEnd.Throttled:N0} | {r.ThrottledShare:P2} | {r.Started:N0} | {r.Written:N0} | {r.Failed:N0} | {r.Lost:N0} | {r.PromptTokensWrittenPerMinute:N0} |"));
        }

        if (runs.Count == 2)
        {
            var (ours, naive) = (runs[0], runs[1]);
            Console.WriteLine(string.Create(Culture, $"\nratio {ours.Client}/{naive.Client}: quota use {ours.QuotaUse / Math.Max(naive.QuotaUse, 1e-9):0.00}x, prompt tokens written per minute {ours.PromptTokensWrittenPerMinute / Math.Max(naive.PromptTokensWrittenPerMinute, 1e-9):0.00}x, items failed {ours.Failed} vs {naive.Failed}, 429 share {ours.ThrottledShare:P2} vs {naive.ThrottledShare:P2}"));
        }

        foreach (var r in runs.Where(r => r.FailureReasons.Count > 0))
        {
            Console.WriteLine(string.Create(Culture, $"\nfailure reasons ({r.Client}):"));
            foreach (var (reason, count) in r.FailureReasons.OrderByDescending(kv => kv.Value))
            {
                Console.WriteLine(string.Create(Culture, $"  {count,6}  {reason}"));
            }
        }
    }

    public static void PrintFaultStorm(RunResult r)
    {
        Console.WriteLine("\n## Fault storm: every item ends written or failed with a reason\n");
        Console.WriteLine("| items started | written | failed with a reason | lost | requests | faults injected | 429s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(Culture, $"| {r.Started:N0} | {r.Written:N0} | {r.Failed:N0} | {r.Lost:N0} | {r.AtEnd.Requests:N0} | {r.AtEnd.Faults.Values.Sum():N0} | {r.AtEnd.Throttled:N0} |"));
        Console.WriteLine("\nfaults by kind: " + string.Join(", ", r.AtEnd.Faults.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}")));
        Console.WriteLine("failure reasons:");
        foreach (var (reason, count) in r.FailureReasons.OrderByDescending(kv => kv.Value))
        {
            Console.WriteLine(string.Create(Culture, $"  {count,6}  {reason}"));
        }
    }
}
