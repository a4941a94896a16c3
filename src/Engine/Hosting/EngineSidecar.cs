using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Engine.Backends;
using WildLong.Storage;

namespace WildLong.Engine.Hosting;

/// <summary>
/// The Durable Task gRPC sidecar of this process, hosted in-process on a loopback HTTP/2 port chosen by the system,
/// over the configured backend. It starts before the worker connects (creating the task hub first) and stops after
/// the worker (registered as a hosted service ahead of it), then hands back unfinished work and stops the backend.
/// The gRPC channel exists from construction: it connects to whatever port the sidecar got once it listens.
/// </summary>
internal sealed partial class EngineSidecar : IHostedService, IAsyncDisposable
{
    private readonly IOptions<EngineOptions> options;
    private readonly IOptions<StorageOptions> storage;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger<EngineSidecar> logger;
    private readonly TaskCompletionSource<int> port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private EngineOrchestrationService? service;
    private WebApplication? server;

    public EngineSidecar(IOptions<EngineOptions> options, IOptions<StorageOptions> storage, ILoggerFactory loggerFactory, bool runsWorker)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.options = options;
        this.storage = storage;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<EngineSidecar>();
        RunsWorker = runsWorker;
        WorkerId = string.IsNullOrWhiteSpace(options.Value.WorkerId) ? EngineBackendFactory.NewWorkerId() : options.Value.WorkerId;
        Channel = GrpcChannel.ForAddress("http://127.0.0.1", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = ConnectAsync,
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            },
            DisposeHttpClient = true,
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
            LoggerFactory = loggerFactory,
        });
    }

    /// <summary>The channel the worker and the client use; usable before the sidecar listens (calls wait for it).</summary>
    public GrpcChannel Channel { get; }

    /// <summary>This process's worker id in the backend (partition leases).</summary>
    public string WorkerId { get; }

    /// <summary>False in client-only mode: the sidecar then answers the client but dispatches no work.</summary>
    public bool RunsWorker { get; }

    /// <summary>The loopback port the sidecar listens on; completes once it started.</summary>
    public Task<int> Port => port.Task;

    /// <summary>History events per orchestration instance this process committed (empty before start); see <see cref="EngineHistorySizes"/>.</summary>
    public IReadOnlyDictionary<string, int> HistoryEvents => service?.HistoryEvents ?? new Dictionary<string, int>();

    /// <summary>The decorated backend, once started.</summary>
    internal EngineOrchestrationService? Service => service;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var engine = options.Value;
        service = EngineBackendFactory.Create(engine, storage.Value, WorkerId, loggerFactory);
        await service.CreateIfNotExistsAsync().WaitAsync(cancellationToken);
        server = BuildServer(service, engine);
        await server.StartAsync(cancellationToken);
        var listening = ListeningPort(server);
        port.TrySetResult(listening);
        LogStarted(engine.Backend, engine.TaskHubName, WorkerId, listening, RunsWorker ? "worker and client" : "client only");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        port.TrySetException(new InvalidOperationException("The embedded Durable Task engine has stopped."));
        if (server is not null)
        {
            await server.StopAsync(cancellationToken);
        }

        if (service is not null)
        {
            await service.ShutdownAsync(options.Value.ShutdownTimeout, cancellationToken);
        }

        LogStopped(WorkerId);
    }

    public async ValueTask DisposeAsync()
    {
        port.TrySetException(new ObjectDisposedException(nameof(EngineSidecar)));
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        service?.Dispose();
        Channel.Dispose();
    }

    private WebApplication BuildServer(EngineOrchestrationService backend, EngineOptions engine)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "WildLong.Engine.Sidecar" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddLogging();
        // The outer host owns Ctrl+C and the process lifetime; this inner server stops only when the engine stops it.
        builder.Services.AddSingleton<IHostLifetime, InnerServerLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = engine.ShutdownTimeout);
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(new WorkItemStreamHeartbeat(engine.WorkItemStreamPingInterval, TimeProvider.System));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
            grpc.Interceptors.Add<WorkItemStreamHeartbeat>();
        });
        builder.Services.AddSingleton<DurableTask.Core.IOrchestrationService>(backend);
        builder.Services.AddSingleton<DurableTask.Core.IOrchestrationServiceClient>(backend);
        builder.Services.Configure<TaskHubGrpcServerOptions>(server =>
            server.Mode = RunsWorker ? TaskHubGrpcServerMode.ApiServerAndDispatcher : TaskHubGrpcServerMode.ApiServerOnly);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        return app;
    }

    private static int ListeningPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("The engine's sidecar server reports no listening address.");
        var address = addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The engine's sidecar server is not listening on any address.");
        return new Uri(address).Port;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var target = await port.Task.WaitAsync(cancellationToken);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, target), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Durable Task engine started: backend {Backend}, task hub {TaskHub}, worker {WorkerId}, sidecar on 127.0.0.1:{Port} ({Mode})")]
    private partial void LogStarted(string backend, string taskHub, string workerId, int port, string mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Durable Task engine stopped (worker {WorkerId})")]
    private partial void LogStopped(string workerId);
}
