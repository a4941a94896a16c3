using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using WildLong.Engine;
using WildLong.Functions.Identity;
using WildLong.Functions.Triggers;
using WildLong.Pipeline.Runs;

namespace WildLong.Bench.Chaos;

/// <summary>
/// Event Grid delivers blob-upload events at least once: this sends every input blob's event twice through the
/// Functions trigger classes (<see cref="BlobUploadFunctions"/>), with a real Durable Task client on the chaos run's
/// task hub, and counts the instances they made — one per blob, whatever the duplicates. The extraction and indexing
/// they start run on the chaos workers beside the run (the accumulating path) and must not change the run's dataset.
/// </summary>
internal static class DuplicateUploadEvents
{
    /// <summary>Waits until the run has uploaded its inputs (both containers hold a blob); false when that did not happen in time.</summary>
    public static async Task<bool> WaitForInputsAsync(string connectionString, TimeSpan timeout)
    {
        var service = new BlobServiceClient(connectionString);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var ready = true;
                foreach (var container in new[] { "queries", "documents" })
                {
                    var any = false;
                    await foreach (var _ in service.GetBlobContainerClient(container).GetBlobsAsync())
                    {
                        any = true;
                        break;
                    }

                    ready &= any;
                }

                if (ready)
                {
                    return true;
                }
            }
            catch (Azure.RequestFailedException)
            {
                // The container is not there yet.
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        return false;
    }

    /// <summary>Sends each blob's event twice; returns the events sent, the blobs, the blobs whose instance exists, and all trigger instances in the hub.</summary>
    public static async Task<(int Events, int Blobs, int Found, int Instances)> SendAsync(string connectionString, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WildLong:Storage:ConnectionString"] = connectionString,
        }).Build();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Services.AddWildLongEngine(configuration, _ => { }, runWorker: false);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var client = host.Services.GetRequiredService<DurableTaskClient>();
            var functions = new BlobUploadFunctions(RunShape.From(new(), new(), new()), NullLogger<BlobUploadFunctions>.Instance);
            var service = new BlobServiceClient(connectionString);
            var (events, blobs, instances) = (0, 0, 0);
            foreach (var (container, prefix) in new[] { ("queries", BlobUploadFunctions.ExtractionPrefix), ("documents", BlobUploadFunctions.IndexingPrefix) })
            {
                var containerClient = service.GetBlobContainerClient(container);
                await foreach (var item in containerClient.GetBlobsAsync(cancellationToken: cancellationToken))
                {
                    var blob = containerClient.GetBlobClient(item.Name);
                    blobs++;
                    for (var delivery = 0; delivery < 2; delivery++)
                    {
                        events++;
                        await (container == "queries"
                            ? functions.QueryShardUploadedAsync(blob, client, cancellationToken)
                            : functions.DocumentUploadedAsync(blob, client, cancellationToken));
                    }

                    var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
                    var id = InstanceIds.ForBlob(prefix, container, item.Name, InstanceIds.BlobVersion(properties.ContentHash, properties.ETag.ToString()));
                    if (await client.GetInstanceAsync(id, cancellationToken) is not null)
                    {
                        instances++;
                    }
                }
            }

            var all = 0;
            await foreach (var _ in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = BlobUploadFunctions.ExtractionPrefix + "-" }).WithCancellation(cancellationToken))
            {
                all++;
            }

            await foreach (var _ in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = BlobUploadFunctions.IndexingPrefix + "-" }).WithCancellation(cancellationToken))
            {
                all++;
            }

            return (events, blobs, instances, all);
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stop.Token);
        }
    }
}
