using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WildLong.Simulator.Batches;
using WildLong.Simulator.Generation;
using WildLong.Simulator.Http;
using WildLong.Core.Common;

namespace WildLong.Simulator;

/// <summary>
/// The simulator as a running HTTP server. No machine here reaches a real model, so the demo, the end-to-end
/// tests and the quota/cost benchmarks all talk to this instead, through the unchanged OpenAI and Azure OpenAI
/// clients. Start it in-process with <see cref="StartAsync(SimulatorOptions, CancellationToken)"/> (a free
/// loopback port unless <see cref="SimulatorOptions.Port"/> is set) or from the console (<c>--help</c>).
/// </summary>
public sealed class SimulatorServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions MetricsJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
    };

    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();
    private Task metricsLog = Task.CompletedTask;

    private SimulatorServer(WebApplication app, SimulatorOptions options, SimulatorMetrics metrics)
    {
        this.app = app;
        Options = options;
        Metrics = metrics;
    }

    /// <summary>Root address, e.g. <c>http://127.0.0.1:5080/</c>; Azure clients use it as the endpoint, OpenAI clients append <c>/v1</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public string ApiKey => Options.ApiKey;

    public SimulatorMetrics Metrics { get; }

    public SimulatorOptions Options { get; }

    public static Task<SimulatorServer> StartAsync(SimulatorOptions options, CancellationToken cancellationToken)
        => StartAsync(options, TimeProvider.System, null, cancellationToken);

    /// <summary>Starts a standalone simulator that stops on Ctrl+C or SIGTERM (see <see cref="WaitForShutdownAsync"/>).</summary>
    public static Task<SimulatorServer> StartStandaloneAsync(SimulatorOptions options, Action<ILoggingBuilder>? configureLogging, CancellationToken cancellationToken)
        => StartAsync(options, TimeProvider.System, configureLogging, ownsConsoleSignals: true, cancellationToken);

    /// <summary>
    /// Starts the server inside another program (it leaves console signals to that program). <paramref name="timeProvider"/> drives quota windows, the prompt cache and metrics (tests
    /// pass a manual clock); <paramref name="configureLogging"/> adds log providers (none by default in-process).
    /// </summary>
    public static Task<SimulatorServer> StartAsync(SimulatorOptions options, TimeProvider timeProvider, Action<ILoggingBuilder>? configureLogging, CancellationToken cancellationToken)
        => StartAsync(options, timeProvider, configureLogging, ownsConsoleSignals: false, cancellationToken);

    private static async Task<SimulatorServer> StartAsync(SimulatorOptions options, TimeProvider timeProvider, Action<ILoggingBuilder>? configureLogging, bool ownsConsoleSignals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.UseKestrel(k =>
        {
            var address = options.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Host);
            k.Listen(address, options.Port);
            k.Limits.MaxRequestBodySize = 256L * 1024 * 1024;
        });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(5));
        if (!ownsConsoleSignals)
        {
            builder.Services.AddSingleton<IHostLifetime, EmbeddedServerLifetime>(); // Ctrl+C belongs to the embedding program
        }

        var app = builder.Build();
        var metrics = new SimulatorMetrics(timeProvider);
        var server = new SimulatorServer(app, options, metrics);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<SimulatorServer>();
        var chat = new ChatCompletionEndpoint(options, metrics, timeProvider, logger, server.stopping.Token);

        app.MapPost("/openai/deployments/{deployment}/chat/completions", (HttpContext context, string deployment) => chat.HandleAsync(context, deployment));
        app.MapPost("/v1/chat/completions", (HttpContext context) => chat.HandleAsync(context, null));
        app.MapPost("/openai/v1/chat/completions", (HttpContext context) => chat.HandleAsync(context, null));
        new BatchEndpoints(options, timeProvider, chat.IsAuthorized, server.stopping.Token).Map(app);
        app.MapGet("/metrics", (HttpContext context) => WriteMetricsAsync(context, metrics));
        app.MapGet("/health", () => "ok");
        foreach (var route in new[] { "/v1/models", "/openai/v1/models", "/openai/models" })
        {
            app.MapGet(route, (HttpContext context) => ListModelsAsync(context, chat, options));
        }

        // A running service has its tokenizer loaded: the first requests must not wait for the o200k vocabulary
        // (~0.1–0.5 s) between arriving and being counted.
        _ = PromptTokens.Count("warm-up");
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(bound.EndsWith('/') ? bound : bound + "/");
        if (options.MetricsLogIntervalSeconds > 0)
        {
            server.metricsLog = LogMetricsAsync(metrics, logger, TimeSpan.FromSeconds(options.MetricsLogIntervalSeconds), timeProvider, server.stopping.Token);
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("WildLong simulator listening on {Address} (deployments: {Deployments})", server.BaseAddress,
                string.Join(", ", options.Deployments.Select(d => $"{d.Name} {d.TokensPerMinute} TPM/{d.RequestsPerMinute} RPM")));
        }
        return server;
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C in the console) or the token is cancelled.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await metricsLog;
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }

    private static Task WriteMetricsAsync(HttpContext context, SimulatorMetrics metrics)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(metrics.Snapshot(), MetricsJson), context.RequestAborted);
    }

    private static Task ListModelsAsync(HttpContext context, ChatCompletionEndpoint chat, SimulatorOptions options)
    {
        if (!chat.IsAuthorized(context.Request))
        {
            return ChatCompletionEndpoint.WriteUnauthorizedAsync(context);
        }

        var data = new JsonArray([.. options.Deployments.Select(d => (JsonNode)new JsonObject
        {
            ["id"] = d.Name,
            ["object"] = "model",
            ["created"] = 0,
            ["owned_by"] = "wildlong-simulator",
        })]);
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(new JsonObject { ["object"] = "list", ["data"] = data }.ToJsonString(WildLongJson.Options), context.RequestAborted);
    }

    private static async Task LogMetricsAsync(SimulatorMetrics metrics, ILogger logger, TimeSpan interval, TimeProvider time, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        var previous = metrics.Snapshot().Totals;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var current = metrics.Snapshot().Totals;
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation(
                        "simulator: {Requests} requests ({Completed} completed, {Throttled} throttled 429, {Faults} faults), {Admitted} tokens admitted, {Prompt}+{Completion} served, {CacheHits} cache hits ({Cached} cached tokens) in the last {Seconds:0}s",
                        current.Requests - previous.Requests, current.Completed - previous.Completed, current.Throttled - previous.Throttled,
                        current.Faults.Values.Sum() - previous.Faults.Values.Sum(), current.TokensAdmitted - previous.TokensAdmitted,
                        current.PromptTokensServed - previous.PromptTokensServed, current.CompletionTokensServed - previous.CompletionTokensServed,
                        current.CacheHits - previous.CacheHits, current.CachedTokens - previous.CachedTokens, interval.TotalSeconds);
                }

                previous = current;
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
