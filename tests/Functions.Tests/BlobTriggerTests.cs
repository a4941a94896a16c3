using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using WildLong.Functions.Identity;
using WildLong.Functions.Tests.Support;
using WildLong.Functions.Triggers;
using WildLong.Pipeline.Extraction;
using WildLong.Storage.Blobs;

namespace WildLong.Functions.Tests;

/// <summary>Blob upload triggers on real blobs (Azurite): one instance per blob content, duplicates start nothing.</summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class BlobTriggerTests(AzuriteFixture azurite)
{
    private readonly BlobUploadFunctions functions = new(TestShape, NullLogger<BlobUploadFunctions>.Instance);

    private static readonly WildLong.Pipeline.Runs.RunShape TestShape = WildLong.Pipeline.Runs.RunShape.From(new(), new(), new());

    [Fact]
    public async Task A_query_shard_starts_one_extraction_and_a_replayed_event_starts_nothing()
    {
        var client = new FakeDurableTaskClient();
        var blob = await UploadAsync("queries", "batch/shard-1.jsonl", """{"text":"one"}""");

        await functions.QueryShardUploadedAsync(blob, client, CancellationToken.None);
        await functions.QueryShardUploadedAsync(blob, client, CancellationToken.None);

        var (name, id, input) = Assert.Single(client.Scheduled);
        Assert.Equal("ExtractShardOrchestrator", name);
        Assert.StartsWith(BlobUploadFunctions.ExtractionPrefix + "-", id, StringComparison.Ordinal);
        Assert.Equal(new InputBlobRequest(new BlobRef(blob.BlobContainerName, "batch/shard-1.jsonl"), TestShape), input);
    }

    [Fact]
    public async Task New_content_under_the_same_name_is_new_work_and_a_completed_instance_is_not_restarted()
    {
        var client = new FakeDurableTaskClient();
        var blob = await UploadAsync("queries", "shard.jsonl", """{"text":"one"}""");
        var first = await functions.StartForBlobAsync(blob, client, "ExtractShardOrchestrator", BlobUploadFunctions.ExtractionPrefix, CancellationToken.None);
        client.Seed("ExtractShardOrchestrator", first!.InstanceId, OrchestrationRuntimeStatus.Completed);

        var replay = await functions.StartForBlobAsync(blob, client, "ExtractShardOrchestrator", BlobUploadFunctions.ExtractionPrefix, CancellationToken.None);
        Assert.False(replay!.Started);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, replay.ExistingStatus);

        await blob.UploadAsync(BinaryData.FromString("""{"text":"two"}"""), overwrite: true);
        var changed = await functions.StartForBlobAsync(blob, client, "ExtractShardOrchestrator", BlobUploadFunctions.ExtractionPrefix, CancellationToken.None);
        Assert.True(changed!.Started);
        Assert.NotEqual(first.InstanceId, changed.InstanceId);
        Assert.Equal(2, client.Scheduled.Count);
    }

    [Fact]
    public async Task A_document_starts_indexing_and_a_deleted_blob_starts_nothing()
    {
        var client = new FakeDurableTaskClient();
        var blob = await UploadAsync("documents", "corpus.jsonl", """{"text":"doc"}""");
        await functions.DocumentUploadedAsync(blob, client, CancellationToken.None);
        var (name, id, _) = Assert.Single(client.Scheduled);
        Assert.Equal("IndexCorpusOrchestrator", name);
        Assert.StartsWith(BlobUploadFunctions.IndexingPrefix + "-", id, StringComparison.Ordinal);

        await blob.DeleteAsync();
        Assert.Null(await functions.StartForBlobAsync(blob, client, "IndexCorpusOrchestrator", BlobUploadFunctions.IndexingPrefix, CancellationToken.None));
        Assert.Single(client.Scheduled);
    }

    [Fact]
    public void Instance_ids_depend_on_container_name_and_version_only()
    {
        var id = InstanceIds.ForBlob("extract", "queries", "a.jsonl", InstanceIds.BlobVersion(null, "\"0x8D1\""));
        Assert.Equal(id, InstanceIds.ForBlob("extract", "queries", "a.jsonl", InstanceIds.BlobVersion(null, "0x8D1")));
        Assert.NotEqual(id, InstanceIds.ForBlob("extract", "queries", "a.jsonl", InstanceIds.BlobVersion(null, "0x8D2")));
        Assert.NotEqual(id, InstanceIds.ForBlob("extract", "queries", "b.jsonl", InstanceIds.BlobVersion(null, "0x8D1")));
        Assert.NotEqual(id, InstanceIds.ForBlob("extract", "documents", "a.jsonl", InstanceIds.BlobVersion(null, "0x8D1")));
        Assert.NotEqual(id, InstanceIds.ForBlob("index", "queries", "a.jsonl", InstanceIds.BlobVersion(null, "0x8D1")));

        // The content MD5 wins over the ETag: the same bytes re-uploaded (new ETag) are the same work.
        byte[] md5 = [1, 2, 3];
        Assert.Equal(InstanceIds.BlobVersion(md5, "e1"), InstanceIds.BlobVersion(md5, "e2"));
        Assert.Throws<ArgumentException>(() => InstanceIds.BlobVersion(null, null));
    }

    private async Task<BlobClient> UploadAsync(string kind, string name, string content)
    {
        var container = new BlobContainerClient(azurite.ConnectionString, AzuriteFixture.UniqueName(kind));
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromString(content), overwrite: true);
        return blob;
    }
}
