using System.Globalization;
using WildLong.Llm.Batch;
using WildLong.Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.Batch;

/// <summary>
/// The <c>batch-Folder</c> provider end to end: a test processor answers the request files the run writes, late for
/// the first one and with bad lines in it; the run finishes, every request is answered exactly once (the bad lines
/// once more, in a later file), and the line that fails twice is quarantined with its reason.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FolderBatchRunTests(AzuriteFixture azurite, ITestOutputHelper output)
    : AzuriteRunTest(azurite, output, "wildlong-batch-folder-")
{
    [Fact]
    public async Task A_folder_batch_run_with_a_late_result_file_and_bad_lines_finishes_with_nothing_lost_or_sent_twice()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var simulator = await PipelineTestData.StartSimulatorAsync(cts.Token);
        var batches = Path.Combine(Folder, "batches");
        await using var host = await StartHostAsync(simulator,
            BatchRunSupport.Overrides(Path.Combine(Folder, "cache"), GlobalBatchOptions.FolderProvider, batches), cts.Token);
        await BatchRunSupport.UploadInputsAsync(host, Path.Combine(Folder, "inputs"), cts.Token);
        RunResultAndTime run;
        await using (var processor = new FolderBatchProcessor(batches, simulator, lateBy: TimeSpan.FromSeconds(4)))
        {
            var (result, elapsed) = await BatchRunSupport.RunAsync(host, BatchRunSupport.Request(host, "run-Folder"), cts.Token);
            run = new RunResultAndTime(result.Pairs, elapsed);

            Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Folder batch run: {result.Pairs} pairs in {elapsed.TotalSeconds:F1} s; {processor.Files.Count} request files, {processor.Requested.Count} distinct requests"));
            Assert.True(result.Pairs > 0);
            Assert.True(processor.Files.Count >= 3, "expected several batch passes: " + string.Join(", ", processor.Files));
            Assert.Equal(2, processor.SpoiledOnce.Count);
            Assert.NotNull(processor.AlwaysFailing);

            // Nothing lost: every request was answered, or is the one that always fails.
            var unanswered = processor.Requested.Keys.Where(id => !processor.Answered.ContainsKey(id)).ToList();
            Assert.Equal([processor.AlwaysFailing], unanswered);

            // Nothing sent twice: each request went out once, the spoiled ones and the failing one exactly twice.
            foreach (var (id, count) in processor.Requested)
            {
                var expected = processor.SpoiledOnce.Contains(id) || id == processor.AlwaysFailing ? 2 : 1;
                Assert.True(count == expected, $"{id} was requested {count} times, expected {expected}");
                Assert.True(processor.Answered.GetValueOrDefault(id) <= 1, $"{id} was answered {processor.Answered.GetValueOrDefault(id)} times");
            }

            // The line that failed twice is quarantined with its reason; no other item was lost to the batch path.
            var quarantine = await BatchRunSupport.DatasetFileAsync(host, result, "quarantine.jsonl", cts.Token);
            var batchReasons = quarantine.Split('\n').Where(l => l.Contains("batch", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.Single(batchReasons);
            Assert.Contains("engine crashed (test)", batchReasons[0], StringComparison.Ordinal);
            Assert.Contains("after one resubmission", batchReasons[0], StringComparison.Ordinal);
        }

        Assert.True(run.Elapsed > TimeSpan.FromSeconds(4), "the run cannot have finished before the late result file appeared");
    }

    private sealed record RunResultAndTime(int Pairs, TimeSpan Elapsed);
}
