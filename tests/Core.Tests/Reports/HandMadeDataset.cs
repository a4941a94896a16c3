using Microsoft.Extensions.AI;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Model;
using WildLong.Core.Reports;
using WildLong.Core.Runner;
using static WildLong.Core.Tests.Graphs.GraphRecords;

namespace WildLong.Core.Tests.Reports;

/// <summary>
/// A three-pair dataset small enough that every report figure can be worked out by hand (the expected values are in
/// <see cref="DatasetReportTests"/>), written by the real <see cref="DatasetWriter"/>, with an embedding generator
/// whose vectors are fixed per text.
/// </summary>
internal static class HandMadeDataset
{
    public const string Quote1 = "the quick brown fox jumps over";
    public const string Quote2 = "the evidence passage sits right here";
    public const string Missing = "this sentence is not in the document at all";

    public static readonly LongDocument D1 = new("d1", "First", "the  quick brown\nfox jumps over the lazy dog. " + new string('a', 70), "test");
    public static readonly LongDocument D2 = new("d2", "Second", new string('b', 60) + " " + Quote2 + " " + new string('c', 20), "test");
    public static readonly LongDocument D3 = new("d3", "Third", "an email about nothing in particular", "test");

    public static MethodRunResult Result()
    {
        var records = new List<TrainingRecord>
        {
            Pair("p1@d1", "report", TaskKind.SingleDocument, [D1], "summarize the report", InstructionPosition.AfterDocuments, 5,
                [new ResponseCitation(1, null, Quote1, true), new ResponseCitation(1, null, "short", true)]),
            Pair("p2@d1+d2", "report", TaskKind.Comparison, [D1, D2], "compare the two reports", InstructionPosition.BeforeDocuments, 4,
                [new ResponseCitation(2, null, Quote2, true), new ResponseCitation(1, null, Missing, false)]),
            Pair("p3@d3", "email", TaskKind.SingleDocument, [D3], "summarize the email", InstructionPosition.AfterDocuments, 4, null),
        };
        QuarantineEntry[] quarantine =
        [
            // The score as a field (its detail holds none), and in the text form datasets written before it was a field hold.
            QuarantineEntry.ForItem(StageNames.QualityJudge, "p4@d1", "rejected by the quality judge: vague", "intent_preserved=True, answerable=True, document_dependent=True (minimum 4)") with { JudgeScore = 2 },
            QuarantineEntry.ForItem(StageNames.QualityJudge, "p5@d3", "rejected by the quality judge: off topic", "intent_preserved=True, answerable=False, document_dependent=True, score=3 (minimum 4)"),
            // Near-duplicates by their recorded kind, whatever their ids look like.
            QuarantineEntry.ForItem(StageNames.NearDuplicateFilter, "p6", "near-duplicate of p3@d3") with { ItemKind = QuarantineEntry.PairItem },
            QuarantineEntry.ForItem(StageNames.NearDuplicateFilter, "i9@d1", "near-duplicate of i8") with { ItemKind = QuarantineEntry.InstructionItem },
            QuarantineEntry.ForInput("read-queries", "queries.jsonl", 7, "line is not valid JSON"),
        ];
        var graphs = new GraphSet();
        graphs.Add(Record("report", F("task", "summarize"), F("domain", "finance")));
        graphs.Add(Record("report", F("task", "summarize"), F("domain", "law")));
        graphs.Add(Record("email", F("task", "reply")));
        var counts = new MethodRunCounts(10, 4, 3, 0, 3, 7, 7, 6, 4, 2, 1, 3,
            quarantine.GroupBy(q => q.Stage).ToDictionary(g => g.Key, g => g.Count()));
        var usage = new Dictionary<string, StageUsage>
        {
            ["response-generation"] = new(4, 0, 1_000, 400, 50),
            ["quality-judge"] = new(4, 0, 500, 0, 10, Retries: 1),
        };
        var inputs = new DatasetReportInputs(
            3, ["real one", "real two", "real three"],
            new Dictionary<string, int> { ["pre_filter"] = 3, ["model"] = 1 },
            new Dictionary<string, int> { ["d1"] = 5_000, ["d2"] = 6_000, ["d3"] = 20_000 },
            [new PlannedPairCount("report", TaskKind.SingleDocument, "4k-8k", 3), new PlannedPairCount("email", TaskKind.SingleDocument, "16k-32k", 3)],
            new Dictionary<string, double> { ["4k-8k"] = 1, ["8k-16k"] = 1 },
            0.25,
            LengthBuckets.DefaultDefinitions,
            3,
            new Dictionary<string, long> { ["task"] = 3, ["domain"] = 2 });
        return new MethodRunResult(records, quarantine, graphs, counts, usage, ReportInputs: inputs);
    }

    public static DatasetManifestExtras Extras(bool simulated = true)
        => new("test-model", 7, simulated, new { Currency = "USD", Stages = Array.Empty<object>(), Total = new { Total = 0.6 } }, new Dictionary<string, string?> { ["pairs"] = "3" },
            CachedPriceRatio: 0.5);

    /// <summary>Fixed unit vectors: instructions a=(0.8,0.6), b=(0,1), c=(0.6,−0.8); real queries (1,0), (0.6,0.8), (0,1).</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Embeddings() => new FixedEmbeddings(new Dictionary<string, float[]>
    {
        ["summarize the report"] = [0.8f, 0.6f],
        ["compare the two reports"] = [0f, 1f],
        ["summarize the email"] = [0.6f, -0.8f],
        ["real one"] = [1f, 0f],
        ["real two"] = [0.6f, 0.8f],
        ["real three"] = [0f, 1f],
    });

    private static TrainingRecord Pair(string id, string type, TaskKind kind, LongDocument[] documents, string instruction, InstructionPosition position, int score, ResponseCitation[]? citations)
    {
        var context = DocumentContext.For(documents);
        var meta = new TrainingRecordMeta(id, type, kind, "key", 0, [new PathStep("task", "summarize")], context.DocumentIds, ["4k-8k"], instruction, instruction,
            100, 10, "test-model", 7, ["p@1"], new JudgeVerdict(true, true, score, "ok"), citations, 0, position);
        return new TrainingRecord([new(TrainingMessage.UserRole, context.ComposeUserTurn(instruction, position)), new(TrainingMessage.AssistantRole, "answer")], meta);
    }

    private sealed class FixedEmbeddings(Dictionary<string, float[]> vectors) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(vectors[v]))));

        public object? GetService(Type serviceType, object? serviceKey = null)
            => serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("fixed", null, "fixed-2d") : null;

        public void Dispose()
        {
        }
    }
}
