using Azure.Storage.Blobs;
using WildLong.Functions.Durable;
using WildLong.Functions.Tests.Support;
using WildLong.Pipeline.Extraction;

namespace WildLong.Functions.Tests;

/// <summary>An activity wrapper runs the real activity from the app's container (blob listing on Azurite).</summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class ActivityWrapperTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_list_wrapper_runs_the_pipeline_activity_against_storage()
    {
        using var app = new TestApp(azurite);
        var container = new BlobContainerClient(azurite.ConnectionString, app.Containers["Queries"]);
        await container.CreateIfNotExistsAsync();
        foreach (var name in new[] { "a/1.jsonl", "a/2.jsonl", "b/3.jsonl" })
        {
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromString("{}"));
        }

        var functions = app.Create<ActivityFunctions>();
        var context = new TestFunctionContext(new Dictionary<string, object?> { ["instanceId"] = "\"run-9\"" });
        var names = await functions.ListInputBlobsActivity(new BlobListRequest(container.Name, "a/"), context);

        Assert.Equal(["a/1.jsonl", "a/2.jsonl"], names);
        Assert.Equal("run-9", ActivityFunctions.InstanceIdOf(context));
        Assert.Equal(string.Empty, ActivityFunctions.InstanceIdOf(new TestFunctionContext()));
    }

    [Fact]
    public async Task A_corpus_slice_with_a_repeated_document_id_indexes_the_first_and_quarantines_the_repeat()
    {
        using var app = new TestApp(azurite);
        var container = new BlobContainerClient(azurite.ConnectionString, app.Containers["Documents"]);
        await container.CreateIfNotExistsAsync();
        // Two real sample documents (long enough for a length bucket, with type hints, so no model call), then the
        // first one again under its id with another title.
        var root = WildLong.Development.Azurite.AzuriteLauncher.FindRepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
        var lines = File.ReadLines(Path.Combine(root, "samples", "documents.jsonl")).Take(2).ToList();
        var repeat = System.Text.Json.Nodes.JsonNode.Parse(lines[0])!;
        var firstId = repeat["id"]!.GetValue<string>();
        var secondId = System.Text.Json.Nodes.JsonNode.Parse(lines[1])!["id"]!.GetValue<string>();
        var firstTitle = repeat["title"]!.GetValue<string>();
        repeat["title"] = "The same id again";
        var corpus = string.Join('\n', lines[0], lines[1], repeat.ToJsonString());
        await container.GetBlobClient("corpus.jsonl").UploadAsync(BinaryData.FromString(corpus));

        var functions = app.Create<ActivityFunctions>();
        var context = new TestFunctionContext(new Dictionary<string, object?> { ["instanceId"] = "\"index-1\"" });
        var blob = new WildLong.Storage.Blobs.BlobRef(container.Name, "corpus.jsonl");
        var plan = await functions.PlanInputBlobActivity(new PlanInputBlobRequest(blob, InputKind.Documents), context);
        var summary = await functions.IndexDocumentsActivity(new WildLong.Pipeline.Orchestration.WorkSlice(plan.Id, blob, plan.Version, 0, 0, plan.Items), context);

        Assert.Equal(3, summary.Items);
        Assert.Equal(2, summary.Succeeded);
        Assert.Equal(1, summary.Rejected);
        var indexed = await app.Get<WildLong.Storage.Documents.DocumentIndexStore>().ReadAllAsync(CancellationToken.None);
        Assert.Equal(new[] { firstId, secondId }.Order(StringComparer.Ordinal), indexed.Select(e => e.Document.Id).Order(StringComparer.Ordinal));
        Assert.Equal(firstTitle, indexed.Single(e => e.Document.Id == firstId).Document.Title);
    }
}
