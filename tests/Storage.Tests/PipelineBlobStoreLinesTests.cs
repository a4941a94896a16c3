using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using WildLong.Storage.Blobs;
using WildLong.Storage.Tests.Support;

namespace WildLong.Storage.Tests;

/// <summary>The streaming line read and write of <see cref="PipelineBlobStore"/> against real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PipelineBlobStoreLinesTests(AzuriteFixture fixture)
{
    [Fact]
    public async Task Lines_streamed_through_a_file_read_back_as_written_with_the_summary_and_completion_mark()
    {
        var store = new PipelineBlobStore(new BlobServiceClient(fixture.ConnectionString), Options.Create(new StorageOptions { ConnectionString = fixture.ConnectionString }));
        var blob = new BlobRef(AzuriteFixture.UniqueName("lines"), "out/kept.jsonl");
        await store.EnsureContainerAsync(blob.Container, CancellationToken.None);

        // Larger than the SDK's single-request upload (so it is staged in blocks), with multi-byte text.
        var lines = Enumerable.Range(0, 3000).Select(i => $"{{\"i\":{i},\"text\":\"{new string('ü', 3000)}\"}}").ToList();
        await store.WriteRawLinesAsync(blob, ToAsync(lines), new Summary(lines.Count), CancellationToken.None);

        Assert.Equal(new Summary(3000), await store.TryGetCompletedAsync<Summary>(blob, CancellationToken.None));
        var read = new List<string>();
        await foreach (var line in store.ReadRawLinesAsync(blob, CancellationToken.None))
        {
            read.Add(line);
        }

        Assert.Equal(lines, read);
        Assert.Empty(await ToListAsync(store.ReadRawLinesAsync(new BlobRef(blob.Container, "missing.jsonl"), CancellationToken.None)));
    }

    private static async IAsyncEnumerable<string> ToAsync(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            await Task.Yield();
            yield return line;
        }
    }

    private static async Task<List<string>> ToListAsync(IAsyncEnumerable<string> lines)
    {
        var list = new List<string>();
        await foreach (var line in lines)
        {
            list.Add(line);
        }

        return list;
    }

    private sealed record Summary(int Lines);
}
