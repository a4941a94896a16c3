namespace WildLong.Llm.Batch;

/// <summary>The Batch API of the configured model endpoint, through <see cref="BatchJobClient"/>: upload, then start the batch.</summary>
public sealed class ServiceBatchProvider(BatchJobClient client) : IModelBatchProvider
{
    private readonly BatchJobClient client = client ?? throw new ArgumentNullException(nameof(client));

    public async Task<string> SubmitAsync(string name, string requestFilePath, CancellationToken cancellationToken)
    {
        var fileId = await client.UploadAsync(requestFilePath, cancellationToken);
        return (await client.SubmitAsync(fileId, cancellationToken)).Id;
    }

    public Task<BatchJobStatus> GetStatusAsync(string batchId, CancellationToken cancellationToken) => client.GetStatusAsync(batchId, cancellationToken);

    public Task<BatchCollection> CollectAsync(BatchJobStatus status, IReadOnlyCollection<string> expectedCustomIds, CancellationToken cancellationToken)
        => client.CollectAsync(status, expectedCustomIds, cancellationToken);
}
