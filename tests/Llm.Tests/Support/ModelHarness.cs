using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WildLong.Core.Model;
using WildLong.Simulator;

namespace WildLong.Llm.Tests.Support;

/// <summary>
/// A simulator on a loopback port and the real model pipeline (<see cref="ChatClientFactory"/>) pointed at it, with
/// an <see cref="LlmCaller"/> on top, as the stages use it.
/// </summary>
public sealed class ModelHarness : IAsyncDisposable
{
    private ModelHarness(SimulatorServer server, ChatClientFactory factory, IChatClient client, LlmCaller caller, RecordingHandler wire, FakeTimeProvider? clock)
    {
        Clock = clock;
        Server = server;
        Factory = factory;
        Client = client;
        Caller = caller;
        Wire = wire;
    }

    public SimulatorServer Server { get; }

    public ChatClientFactory Factory { get; }

    public IChatClient Client { get; }

    public LlmCaller Caller { get; }

    public UsageLedger Ledger => Caller.Ledger;

    public RecordingHandler Wire { get; }

    /// <summary>The fake clock the simulator and the model pipeline share, when the test moves time itself.</summary>
    public FakeTimeProvider? Clock { get; }

    /// <summary>
    /// Starts the simulator and the pipeline. With a <c>clock</c>, both run on that one fake clock (the simulator's
    /// quota windows and retry-after, the pipeline's limiter, retry delays and timeouts): time then moves only when
    /// the test moves it (<see cref="CompleteWithClockAsync{T}"/>).
    /// </summary>
    /// <param name="simulator">Changes to the simulator's options (deployments, latency, faults).</param>
    /// <param name="model">Changes to the client's model options.</param>
    /// <param name="maxStructuredAttempts">The caller's attempts at a valid structured answer.</param>
    /// <param name="clock">The fake clock of simulator and pipeline (the system clock when null).</param>
    /// <param name="ledger">The pipeline's ledger (a new one without meters when null).</param>
    /// <param name="cacheLayer">The response cache, outermost (none when null).</param>
    public static async Task<ModelHarness> StartAsync(Action<SimulatorOptions>? simulator = null, Action<ModelOptions>? model = null, int maxStructuredAttempts = 3,
        FakeTimeProvider? clock = null, UsageLedger? ledger = null, ModelCacheLayer? cacheLayer = null)
    {
        var simOptions = new SimulatorOptions { MetricsLogIntervalSeconds = 0 };
        simOptions.Deployments = [new DeploymentOptions("gpt-4o-mini", 50_000_000, 500_000)];
        simulator?.Invoke(simOptions);
        simOptions.Deployments.Add(new DeploymentOptions(WarmUpDeployment, 1_000_000, 1_000));
        var server = clock is null
            ? await SimulatorServer.StartAsync(simOptions, CancellationToken.None)
            : await SimulatorServer.StartAsync(simOptions, clock, null, CancellationToken.None);
        var options = new ModelOptions
        {
            Provider = ModelProviders.Simulator,
            Endpoint = server.BaseAddress,
            ApiKey = server.ApiKey,
            Deployment = "gpt-4o-mini",
            Tpm = 50_000_000,
            Rpm = 500_000,
            RequestTimeout = TimeSpan.FromSeconds(20),
            TotalTimeout = TimeSpan.FromSeconds(90),
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        };
        model?.Invoke(options);
        ledger ??= new UsageLedger();
        var wire = new RecordingHandler(clock);
        var factory = new ChatClientFactory(Options.Create(options), ledger, clock, primaryHandler: wire);
        var client = factory.Create(cacheLayer);
        var caller = new LlmCaller(client, ledger, Options.Create(new LlmCallOptions { MaxStructuredAttempts = maxStructuredAttempts }), NullLogger<LlmCaller>.Instance);
        return new ModelHarness(server, factory, client, caller, wire, clock);
    }

    /// <summary>A deployment of its own for <see cref="WarmUpAsync"/>, so warming up uses none of the tested quota.</summary>
    public const string WarmUpDeployment = "warm-up";

    /// <summary>
    /// Sends one chat request to <see cref="WarmUpDeployment"/> so the server's first-request start-up (JIT) is over
    /// before a test that depends on when the server admits requests relative to when we sent them.
    /// </summary>
    public async Task WarmUpAsync()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Server.ApiKey);
        var body = $$"""{"model":"{{WarmUpDeployment}}","max_tokens":20,"messages":[{"role":"user","content":"warm up"}]}""";
        using var response = await http.PostAsync("v1/chat/completions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
    }

    /// <summary>
    /// Waits for <paramref name="calls"/> while moving <see cref="Clock"/> on in 50 ms steps, but only while no call
    /// holds a limiter slot and nothing is on the wire: time passes only while the calls wait for it (the limiter's
    /// spacing, a retry delay), so the server sees each request at the fake time the client sent it.
    /// </summary>
    public async Task<T> CompleteWithClockAsync<T>(Task<T> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var clock = Clock ?? throw new InvalidOperationException("The harness was started without a fake clock.");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!calls.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the calls did not complete in 2 minutes of real time");
            }

            if (Wire.InFlight == 0 && Factory.Limiter.Snapshot().InFlight == 0)
            {
                clock.Advance(TimeSpan.FromMilliseconds(50));
            }

            await Task.WhenAny(calls, Task.Delay(5));
        }

        return await calls;
    }

    public SimulatorCounters Totals => Server.Metrics.Snapshot().Totals;

    public long Faults(FaultKind kind) => Totals.Faults.TryGetValue(kind.ToString(), out var n) ? n : 0;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Factory.Dispose();
        await Server.DisposeAsync();
    }
}
