using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using WildLong.Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.Batch;

/// <summary>
/// A batch-mode run whose worker is stopped while a batch is in flight at the simulator's Batch API, then started
/// again by a new worker (the memory engine forgets the orchestration, so the run starts over on its blobs): the
/// batch in flight is found by its content, polled and collected, and no request file is submitted twice.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchKillAndResumeTests(AzuriteFixture azurite, ITestOutputHelper output)
    : AzuriteRunTest(azurite, output, "wildlong-batch-kill-")
{
    [Fact]
    public async Task A_run_stopped_while_its_batch_runs_resumes_without_submitting_it_again()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var simulator = await PipelineTestData.StartSimulatorAsync(cts.Token);
        simulator.Options.Batch.LineDelayMs = 50;   // the first batch takes seconds: long enough to stop the worker in it
        var settings = BatchRunSupport.Overrides(Path.Combine(Folder, "cache"), "service");
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", simulator.ApiKey);

        string inFlight;
        await using (var first = await StartHostAsync(simulator, settings, cts.Token))
        {
            await BatchRunSupport.UploadInputsAsync(first, Path.Combine(Folder, "inputs"), cts.Token);
            var request = BatchRunSupport.Request(first, "run-kill");
            await first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Runs.RunOrchestrator), request, new Microsoft.DurableTask.StartOrchestrationOptions(request.RunId), cts.Token);
            inFlight = await WaitForBatchAsync(first, cts.Token);
            Assert.Contains(await BatchStatusAsync(http, inFlight, cts.Token), new[] { "validating", "in_progress" });
            await first.StopAsync();
        }

        var statusAfterStop = await BatchStatusAsync(http, inFlight, cts.Token);
        Output.WriteLine($"batch {inFlight} was '{statusAfterStop}' when the first worker had stopped");
        simulator.Options.Batch.LineDelayMs = 0;
        await using (var second = await StartHostAsync(simulator, settings, cts.Token))
        {
            var (result, elapsed) = await BatchRunSupport.RunAsync(second, BatchRunSupport.Request(second, "run-kill"), cts.Token);
            Output.WriteLine($"resumed run: {result.Pairs} pairs in {elapsed.TotalSeconds:F1} s");
            Assert.True(result.Pairs > 0);
        }

        // Every request file uploaded to the Batch API is distinct: the one in flight at the stop was not sent again.
        var inputs = await BatchInputsAsync(http, cts.Token);
        Output.WriteLine($"{inputs.Count} batch input files uploaded");
        Assert.True(inputs.Count >= 3);
        var duplicates = inputs.GroupBy(i => i.Hash).Where(g => g.Count() > 1).Select(g => string.Join(", ", g.Select(i => i.Id))).ToList();
        Assert.True(duplicates.Count == 0, "submitted twice: " + string.Join("; ", duplicates));
    }

    /// <summary>The id of the first batch the run submitted, from its part record (written right after the submission).</summary>
    private static async Task<string> WaitForBatchAsync(PipelineTestHost host, CancellationToken cancellationToken)
    {
        var container = host.Blobs.GetBlobContainerClient(host.Names.Containers.MetaInfo);
        while (true)
        {
            if (await container.ExistsAsync(cancellationToken))
            {
                await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "batches/", cancellationToken))
                {
                    if (blob.Name.EndsWith("/part-0001.json", StringComparison.Ordinal))
                    {
                        var text = (await container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
                        using var part = JsonDocument.Parse(text);
                        return part.RootElement.GetProperty("batch_id").GetString()!;
                    }
                }
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static async Task<string> BatchStatusAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        using var batch = JsonDocument.Parse(await http.GetStringAsync(new Uri($"v1/batches/{id}", UriKind.Relative), cancellationToken));
        return batch.RootElement.GetProperty("status").GetString()!;
    }

    private static async Task<List<(string Id, string Hash)>> BatchInputsAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var files = JsonDocument.Parse(await http.GetStringAsync(new Uri("v1/files", UriKind.Relative), cancellationToken));
        var inputs = new List<(string, string)>();
        foreach (var file in files.RootElement.GetProperty("data").EnumerateArray().Where(f => f.GetProperty("purpose").GetString() == "batch"))
        {
            var id = file.GetProperty("id").GetString()!;
            var content = await http.GetByteArrayAsync(new Uri($"v1/files/{id}/content", UriKind.Relative), cancellationToken);
            inputs.Add((id, Convert.ToHexString(SHA256.HashData(content))));
        }

        return inputs;
    }
}
