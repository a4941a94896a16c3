using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Functions.Estimation;
using WildLong.Storage.Blobs;

namespace WildLong.Functions.Durable;

/// <summary>
/// The Functions entry points of the app's own durable job, the HTTP dry run (<see cref="EstimateOrchestrator"/> and
/// its activity, <see cref="InputsEstimator"/>): not pipeline tasks, so the embedded engine does not register them.
/// </summary>
public sealed class EstimateFunctions(IServiceProvider services)
{
    /// <summary>The names of the durable functions this class defines (the wrapper coverage test adds them to the pipeline's).</summary>
    public static IReadOnlyList<string> TaskNames { get; } = [nameof(Estimation.EstimateOrchestrator), Estimation.EstimateOrchestrator.ActivityName];

    [Function(nameof(EstimateOrchestrator))]
    public Task<BlobRef> EstimateOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<EstimateRequest>()
            ?? throw new InvalidOperationException($"{nameof(EstimateOrchestrator)} instance '{context.InstanceId}' was started without an input.");
        return new EstimateOrchestrator().RunAsync(context, input);
    }

    [Function(Estimation.EstimateOrchestrator.ActivityName)]
    public Task<BlobRef> EstimateInputsActivity([ActivityTrigger] EstimateRequest input, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        return ActivatorUtilities.CreateInstance<InputsEstimator>(services).EstimateAsync(input, context.CancellationToken);
    }
}
