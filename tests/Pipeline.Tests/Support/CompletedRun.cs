using System.Diagnostics;
using Microsoft.DurableTask.Client;
using WildLong.Pipeline.Runs;
using WildLong.Simulator;

namespace WildLong.Pipeline.Tests.Support;

/// <summary>
/// A <see cref="RunOrchestrator"/> run started through the <see cref="DurableTaskClient"/> and followed to its end,
/// with every distinct custom status seen while it ran and the simulator's request count when it ended.
/// </summary>
public sealed record CompletedRun(
    RunRequest Request,
    OrchestrationMetadata Metadata,
    IReadOnlyList<RunProgress> StatusesSeen,
    long SimulatorRequests,
    TimeSpan Elapsed)
{
    public RunResult Result => Metadata.ReadOutputAs<RunResult>() ?? throw new InvalidOperationException("the run has no output");

    /// <summary>Uploads the inputs, starts a run of <see cref="PipelineTestData.Pairs"/> pairs and waits for it, polling its status.</summary>
    public static async Task<CompletedRun> RunAsync(PipelineTestHost host, SimulatorServer simulator, string inputFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(simulator);
        await PipelineTestData.UploadInputsAsync(host, inputFolder, cancellationToken);
        var request = new RunRequest("run-" + Guid.NewGuid().ToString("N")[..12], PipelineTestData.InputPrefix, PipelineTestData.InputPrefix,
            new RunSettings(PipelineTestData.Pairs, 2502_16684UL), host.Shape, Simulated: true);
        var watch = Stopwatch.StartNew();
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(RunOrchestrator), request, new Microsoft.DurableTask.StartOrchestrationOptions(request.RunId), cancellationToken);
        var (metadata, statuses) = await WaitAsync(host.Client, request.RunId, cancellationToken);
        return new CompletedRun(request, metadata, statuses, simulator.Metrics.Snapshot().Totals.Requests, watch.Elapsed);
    }

    /// <summary>Waits for an instance to finish while recording each distinct custom status it publishes.</summary>
    public static async Task<(OrchestrationMetadata Metadata, List<RunProgress> Statuses)> WaitAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var statuses = new List<RunProgress>();
        string? last = null;
        var completion = client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        while (!completion.IsCompleted)
        {
            var current = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
            if (current?.SerializedCustomStatus is { } status && status != last)
            {
                last = status;
                statuses.Add(current.ReadCustomStatusAs<RunProgress>()!);
            }

            await Task.WhenAny(completion, Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken));
        }

        return (await completion, statuses);
    }
}
