using Azure.Storage.Blobs;

namespace WildLong.Storage.Blobs;

/// <summary>
/// A blob container client that creates its container on first use, once per instance, like
/// <see cref="Tables.LazyTable"/> for tables. A failed creation is not cached, so a transient error at start-up does
/// not poison the store for its lifetime.
/// </summary>
internal sealed class LazyBlobContainer(BlobServiceClient service, string containerName) : IDisposable
{
    private readonly BlobContainerClient client = CreateClient(service, containerName);
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile bool created;

    public string Name => client.Name;

    public async ValueTask<BlobContainerClient> GetAsync(CancellationToken cancellationToken)
    {
        if (created)
        {
            return client;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!created)
            {
                await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                created = true;
            }
        }
        finally
        {
            gate.Release();
        }

        return client;
    }

    public void Dispose() => gate.Dispose();

    private static BlobContainerClient CreateClient(BlobServiceClient service, string containerName)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (string.IsNullOrWhiteSpace(containerName))
        {
            throw new ArgumentException("A container name is required (see WildLong:Storage:Containers).", nameof(containerName));
        }

        return service.GetBlobContainerClient(containerName);
    }
}
