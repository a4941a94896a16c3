using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WildLong.Storage.Tests.Support;

namespace WildLong.Storage.Tests;

/// <summary>AddWildLongStorage: options binding, clients from a connection string, and a clear error when unconfigured.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageServiceCollectionExtensionsTests(AzuriteFixture fixture)
{
    [Fact]
    public async Task A_connection_string_gives_working_blob_and_table_clients_and_bound_options()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WildLong:Storage:ConnectionString"] = fixture.ConnectionString,
            ["WildLong:Storage:Containers:LlmCache"] = "custom-cache",
        }).Build();
        await using var provider = new ServiceCollection().AddWildLongStorage(configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
        Assert.Equal("custom-cache", options.Containers.LlmCache);
        Assert.Equal("queries", options.Containers.Queries);

        var blobs = provider.GetRequiredService<BlobServiceClient>();
        var tables = provider.GetRequiredService<TableServiceClient>();
        Assert.Equal(fixture.Azurite.BlobEndpoint.Port, blobs.Uri.Port);
        await blobs.GetBlobContainerClient(AzuriteFixture.UniqueName("di")).CreateAsync();
        await tables.GetTableClient(AzuriteFixture.UniqueName("di")).CreateAsync();
    }

    [Fact]
    public void Managed_identity_configuration_registers_clients_for_the_service_uris()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WildLong:Storage:BlobServiceUri"] = "https://wildlongtest.blob.core.windows.net/",
            ["WildLong:Storage:TableServiceUri"] = "https://wildlongtest.table.core.windows.net/",
        }).Build();
        using var provider = new ServiceCollection().AddWildLongStorage(configuration).BuildServiceProvider();

        Assert.Equal("wildlongtest.blob.core.windows.net", provider.GetRequiredService<BlobServiceClient>().Uri.Host);
        Assert.Equal("wildlongtest", provider.GetRequiredService<TableServiceClient>().AccountName);
    }

    [Fact]
    public void Missing_storage_configuration_fails_at_registration_with_the_setting_names()
    {
        var configuration = new ConfigurationBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddWildLongStorage(configuration));

        Assert.Contains("WildLong:Storage:ConnectionString", error.Message, StringComparison.Ordinal);
    }
}
