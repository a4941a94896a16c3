using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Core.Graphs;
using WildLong.Storage;
using WildLong.Pipeline.Tests.Support;
using WildLong.Storage.Documents;
using WildLong.Storage.Graphs;
using WildLong.Storage.Runs;

namespace WildLong.Pipeline.Tests;

/// <summary>The DI registration gives working singleton stores over the configured storage and table names.</summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class StoreServiceCollectionExtensionsTests(AzuriteFixture fixture)
{
    [Fact]
    public async Task Stores_resolve_as_singletons_and_use_the_configured_tables()
    {
        var shards = AzuriteFixture.UniqueName("dishards");
        var container = AzuriteFixture.UniqueName("dimeta");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WildLong:Storage:ConnectionString"] = fixture.ConnectionString,
            ["WildLong:Storage:Tables:GraphShards"] = shards,
            ["WildLong:Storage:Containers:MetaInfo"] = container,
            ["WildLong:Storage:Tables:Graph"] = AzuriteFixture.UniqueName("digraph"),
            ["WildLong:Storage:Tables:Documents"] = AzuriteFixture.UniqueName("didocs"),
            ["WildLong:Storage:Tables:Runs"] = AzuriteFixture.UniqueName("diruns"),
        }).Build();
        await using var provider = new ServiceCollection().AddWildLongStorage(configuration).AddWildLongStores().BuildServiceProvider();

        var graphs = provider.GetRequiredService<GraphCountStore>();
        Assert.Same(graphs, provider.GetRequiredService<GraphCountStore>());
        Assert.Empty(await provider.GetRequiredService<DocumentIndexStore>().ReadAllAsync(default));
        Assert.Empty(await provider.GetRequiredService<RunStore>().ListAsync(default));

        await graphs.MergeShardAsync("s", "v", GraphSet.Build([new("q", "novel", new Dictionary<string, IReadOnlyList<string>> { ["f"] = ["x"] })]), default);
        var tables = provider.GetRequiredService<Azure.Data.Tables.TableServiceClient>();
        Assert.NotEmpty(await tables.GetTableClient(shards).QueryAsync<Azure.Data.Tables.TableEntity>().ToListAsync());
        var blobs = provider.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>().GetBlobContainerClient(container);
        Assert.NotEmpty(await blobs.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = GraphCountStore.ShardBlobPrefix }).ToListAsync());
        await blobs.DeleteAsync();
    }
}
