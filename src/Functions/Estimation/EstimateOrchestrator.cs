using Microsoft.DurableTask;
using WildLong.Storage.Blobs;

namespace WildLong.Functions.Estimation;

/// <summary>
/// The HTTP dry run as a durable job: downloading up to <see cref="EstimateOptions.MaxDownloadBytes"/> of inputs does
/// not fit in one HTTP request (the front end gives up after about 230 s), so <c>POST /api/estimate</c> starts this and
/// answers 202; <c>GET /api/estimates/{id}</c> reads the answer from the blob the activity wrote. One attempt: a
/// failure (inputs gone or grown past the limit) is reported at the status URL, not retried.
/// </summary>
public sealed class EstimateOrchestrator : TaskOrchestrator<EstimateRequest, BlobRef>
{
    /// <summary>The activity that downloads and estimates (<see cref="InputsEstimator"/>).</summary>
    public const string ActivityName = "EstimateInputsActivity";

    public override Task<BlobRef> RunAsync(TaskOrchestrationContext context, EstimateRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return context.CallActivityAsync<BlobRef>(ActivityName, input);
    }
}
