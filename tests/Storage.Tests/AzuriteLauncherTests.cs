using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using WildLong.Development.Azurite;
using WildLong.Storage.Tests.Support;

namespace WildLong.Storage.Tests;

/// <summary>The launcher against the real Azurite it starts: endpoints, connection string, data folder, reuse.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzuriteLauncherTests(AzuriteFixture fixture)
{
    [Fact]
    public async Task The_started_Azurite_serves_blobs_and_tables_through_the_connection_string()
    {
        var azurite = fixture.Azurite;
        Assert.True(azurite.StartedProcess);
        Assert.NotNull(azurite.ProcessId);
        Assert.Equal("127.0.0.1", azurite.BlobEndpoint.Host);
        Assert.NotEqual(azurite.BlobEndpoint.Port, azurite.TableEndpoint.Port);

        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(AzuriteFixture.UniqueName("launcher"));
        await container.CreateAsync();
        await container.GetBlobClient("a/b.txt").UploadAsync(BinaryData.FromString("hello azurite"));
        var read = await container.GetBlobClient("a/b.txt").DownloadContentAsync();
        Assert.Equal("hello azurite", read.Value.Content.ToString());

        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteFixture.UniqueName("launcher"));
        await table.CreateAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Value"] = 42 });
        Assert.Equal(42, (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetInt32("Value"));

        // Data lives in the launcher's own folder.
        Assert.NotNull(azurite.DataDirectory);
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(azurite.DataDirectory!));
    }

    [Fact]
    public async Task A_launcher_reuses_an_Azurite_that_already_answers_and_leaves_it_running_on_dispose()
    {
        var running = fixture.Azurite;
        var options = new AzuriteOptions { ExistingBlobPort = running.BlobEndpoint.Port };

        await using (var reused = await AzuriteLauncher.StartAsync(options, null, CancellationToken.None))
        {
            Assert.False(reused.StartedProcess);
            Assert.Equal(running.BlobEndpoint, reused.BlobEndpoint);
        }

        // Still serving: disposing a reusing launcher must not stop someone else's Azurite.
        var container = new BlobServiceClient(running.ConnectionString).GetBlobContainerClient(AzuriteFixture.UniqueName("reuse"));
        Assert.True((await container.CreateIfNotExistsAsync()) is not null);
        Assert.False(Process.GetProcessById(running.ProcessId!.Value).HasExited);
    }

    [Fact]
    public async Task A_missing_node_executable_is_reported_clearly()
    {
        var options = new AzuriteOptions { ReuseRunningInstance = false, NodeExecutable = "/nonexistent/wildlong/node" };

        var error = await Assert.ThrowsAsync<AzuriteLaunchException>(() => AzuriteLauncher.StartAsync(options, null, CancellationToken.None));

        Assert.Contains("Node.js", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/wildlong/node", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_npm_is_reported_clearly_when_the_pinned_copy_must_be_installed()
    {
        var root = AzuriteLauncher.FindRepositoryRoot()!;
        var tool = Directory.CreateTempSubdirectory("wildlong-azurite-tool-").FullName;
        try
        {
            File.Copy(Path.Combine(root, "tools", "azurite", "package.json"), Path.Combine(tool, "package.json"));
            File.Copy(Path.Combine(root, "tools", "azurite", "package-lock.json"), Path.Combine(tool, "package-lock.json"));
            var options = new AzuriteOptions { ReuseRunningInstance = false, ToolDirectory = tool, NpmExecutable = "/nonexistent/wildlong/npm" };

            var error = await Assert.ThrowsAsync<AzuriteLaunchException>(() => AzuriteLauncher.StartAsync(options, null, CancellationToken.None));

            Assert.Contains("npm", error.Message, StringComparison.Ordinal);
            Assert.Contains("/nonexistent/wildlong/npm", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(tool, recursive: true);
        }
    }
}
