using Microsoft.Extensions.DependencyInjection;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Synthesis;
using WildLong.Pipeline.Tests.Support;
using WildLong.Storage.Blobs;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.Synthesis;

/// <summary>
/// A round's near-duplicate step reads the pairs for their meta-information only and writes the kept list line by line
/// from the blobs it comes from: every earlier pair stays, a new pair that repeats an instruction kept before (or one
/// earlier in the round) goes, and the kept lines are the stored ones, messages and all.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeduplicatePairsActivityTests(AzuriteFixture azurite, ITestOutputHelper output)
    : AzuriteRunTest(azurite, output, "wildlong-dedup-")
{
    [Fact]
    public async Task Round_two_keeps_every_earlier_pair_and_the_new_ones_that_repeat_nothing_with_their_messages()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var simulator = await PipelineTestData.StartSimulatorAsync(cts.Token);
        await using var host = await StartHostAsync(simulator, settings: null, cts.Token);
        var blobs = host.Services.GetRequiredService<PipelineBlobStore>();
        var activity = ActivatorUtilities.CreateInstance<DeduplicatePairsActivity>(host.Services);
        const string run = "dedup-run";
        var summary = new { Lines = 0 };

        string[] earlierInstructions = ["Summarize the indemnification clauses of this contract for a procurement lead.", "List every deadline the agreement sets and who must meet it."];
        var earlier = earlierInstructions.Select((text, i) => Pair($"e{i}", text)).ToList();
        var sliceA = new[]
        {
            Pair("n0", "Summarize the indemnification clauses of this contract for a procurement lead."), // repeats e0
            Pair("n1", "Explain how the termination for convenience clause affects the supplier's remedies."),
        };
        var sliceB = new[]
        {
            Pair("n2", "Explain how the termination for convenience clause affects the supplier's remedies."), // repeats n1
            Pair("n3", "Compare the payment terms with common net-30 practice and flag anything unusual."),
        };
        await blobs.WriteLinesAsync(blobs.Layout.KeptPairs(run, 1), earlier, summary, cts.Token);
        await blobs.WriteLinesAsync(blobs.Layout.GeneratedPairs(run, 2, 0), sliceA, summary, cts.Token);
        await blobs.WriteLinesAsync(blobs.Layout.GeneratedPairs(run, 2, 1), sliceB, summary, cts.Token);

        var result = await activity.RunAsync(null!, new RoundRequest(run, new RunSettings(10, 7), 2, 2));

        var kept = await blobs.ReadLinesAsync<TrainingRecord>(blobs.Layout.KeptPairs(run, 2), cts.Token);
        Assert.Equal(["e0", "e1", "n1", "n3"], kept.Select(r => r.Meta.Id));
        Assert.All(kept, r => Assert.Equal($"document for {r.Meta.Id}", r.Messages[0].Content));
        Assert.Equal((4, 4, 2), (result.Items, result.Succeeded, result.Rejected));
        var again = await activity.RunAsync(null!, new RoundRequest(run, new RunSettings(10, 7), 2, 2));
        Assert.Equal((4, 4, 2), (again.Items, again.Succeeded, again.Rejected)); // the completed output answers a re-delivery
    }

    private static TrainingRecord Pair(string id, string instruction)
        => new(
            [new TrainingMessage("user", $"document for {id}"), new TrainingMessage("assistant", "answer")],
            new TrainingRecordMeta(id, "legal_contract", TaskKind.SingleDocument, "key", 0, [new PathStep("task", "summarize")], ["d"], ["4k-8k"],
                instruction, instruction, 10, 10, "m", 0, [], new JudgeVerdict(true, true, 5, "")));
}
