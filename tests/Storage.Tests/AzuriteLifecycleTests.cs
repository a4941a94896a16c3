using System.Diagnostics;
using Azure.Storage.Blobs;
using WildLong.Development.Azurite;

namespace WildLong.Storage.Tests;

/// <summary>
/// Start and stop of a launcher-owned Azurite, in its own collection with its own instance (the shared fixture
/// cannot be stopped mid-collection): dispose kills the process tree and removes the temporary data folder.
/// </summary>
public sealed class AzuriteLifecycleTests
{
    [Fact]
    public async Task Dispose_stops_the_started_Azurite_and_deletes_its_temporary_data()
    {
        var launcher = await AzuriteLauncher.StartAsync(new AzuriteOptions { ReuseRunningInstance = false }, null, CancellationToken.None);
        var process = Process.GetProcessById(launcher.ProcessId!.Value);
        var data = launcher.DataDirectory!;
        var service = new BlobServiceClient(launcher.ConnectionString);
        await service.GetBlobContainerClient("lifecycle").CreateAsync();

        await launcher.DisposeAsync();

        Assert.True(process.HasExited);
        Assert.False(Directory.Exists(data));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(launcher.BlobEndpoint));
    }

    [Fact]
    public async Task A_given_data_folder_is_used_and_kept()
    {
        var data = Directory.CreateTempSubdirectory("wildlong-azurite-data-").FullName;
        try
        {
            await using (var launcher = await AzuriteLauncher.StartAsync(new AzuriteOptions { ReuseRunningInstance = false, DataDirectory = data }, null, CancellationToken.None))
            {
                Assert.Equal(data, launcher.DataDirectory);
                var container = new BlobServiceClient(launcher.ConnectionString).GetBlobContainerClient("kept");
                await container.CreateAsync();
                await container.GetBlobClient("x.json").UploadAsync(BinaryData.FromString("{}"));
            }

            Assert.True(Directory.Exists(data));
            Assert.NotEmpty(Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
