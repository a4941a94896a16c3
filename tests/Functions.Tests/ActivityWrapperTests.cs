using Azure.Storage.Blobs;
using WildLong.Functions.Durable;
using WildLong.Functions.Tests.Support;
using WildLong.Pipeline.Extraction;
using WildLong.Storage.Tests.Support;

namespace WildLong.Functions.Tests;

/// <summary>An activity wrapper runs the real activity from the app's container (blob listing on Azurite).</summary>
[Collection(AzuriteCollection.Name)]
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
}
