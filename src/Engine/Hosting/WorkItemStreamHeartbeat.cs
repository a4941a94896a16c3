using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.DurableTask.Protobuf;

namespace WildLong.Engine.Hosting;

/// <summary>
/// Sends a health ping down the worker's work-item stream every <see cref="EngineOptions.WorkItemStreamPingInterval"/>,
/// as the Durable Task Scheduler does, so the stream is never silent for long.
/// </summary>
/// <remarks>
/// <para>Why: the gRPC worker treats a stream that has carried no message for its silent-disconnect timeout (2 minutes)
/// as a dead link and reconnects. The in-process sidecar sends nothing while no new work is ready, which is normal
/// whenever every activity slot holds a long activity (long-context generation on a loaded machine). The reconnect
/// then raced with the old stream's clean-up, which switched the sidecar's dispatchers off while the new stream was
/// connected: nothing was fetched until the next silent timeout. Measured on a 1,000-pair run: generation stalled
/// for about 3 minutes with both cores idle, after two such reconnects.</para>
/// <para>The sidecar writes work items to the stream from its dispatchers, one at a time under its own lock; pings come
/// from a timer. gRPC allows one write at a time per stream, so both go through <see cref="SerializedWriter"/>.</para>
/// </remarks>
internal sealed class WorkItemStreamHeartbeat(TimeSpan interval, TimeProvider timeProvider) : Interceptor
{
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (responseStream is not IServerStreamWriter<WorkItem> workItems)
        {
            await continuation(request, responseStream, context);
            return;
        }

        var writer = new SerializedWriter(workItems);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var pings = PingAsync(writer, stop.Token);
        try
        {
            await continuation(request, (IServerStreamWriter<TResponse>)(object)writer, context);
        }
        finally
        {
            await stop.CancelAsync();
            await pings;
        }
    }

    private async Task PingAsync(SerializedWriter writer, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await writer.WriteAsync(new WorkItem { HealthPing = new HealthPing() }, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended: the worker left or the sidecar stops.
        }
        catch (InvalidOperationException)
        {
            // The call completed between the tick and the write; the next stream gets its own pings.
        }
        catch (IOException)
        {
            // The connection went away; the worker reconnects and gets a new stream.
        }
    }

    /// <summary>One write at a time on the stream, whoever writes.</summary>
    /// <remarks>Not disposable on purpose: the sidecar keeps the stream after the call ends and its next write must fail
    /// the way gRPC fails it ("request is complete", which the sidecar handles), not with a disposed semaphore. A
    /// SemaphoreSlim whose wait handle is never used holds nothing to dispose.</remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "See remarks: the gate must outlive the call.")]
    private sealed class SerializedWriter(IServerStreamWriter<WorkItem> inner) : IServerStreamWriter<WorkItem>
    {
        private readonly SemaphoreSlim gate = new(1, 1);

        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(WorkItem message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(WorkItem message, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                await inner.WriteAsync(message, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
