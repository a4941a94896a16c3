namespace WildLong.Llm.Batch;

/// <summary>
/// Where a batch-mode run sends its request files and finds the answers: the Batch API of the model endpoint
/// (<see cref="ServiceBatchProvider"/>: Azure OpenAI Global Batch, OpenAI Batch, the simulator) or a folder that
/// another tool answers (<see cref="FolderBatchProvider"/>: vLLM's <c>run_batch</c> and anything speaking its format).
/// Each step is one short, stateless call, so the durable orchestration can run it in an activity and wait between
/// looks with timers.
/// </summary>
public interface IModelBatchProvider
{
    /// <summary>Submits one request file as a batch named <paramref name="name"/> (unique per request content) and returns the batch id.</summary>
    Task<string> SubmitAsync(string name, string requestFilePath, CancellationToken cancellationToken);

    /// <summary>One look at a batch.</summary>
    Task<BatchJobStatus> GetStatusAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>The outcome of every expected custom_id of a finished batch (see <see cref="BatchJobClient.CollectAsync"/>).</summary>
    Task<BatchCollection> CollectAsync(BatchJobStatus status, IReadOnlyCollection<string> expectedCustomIds, CancellationToken cancellationToken);
}
