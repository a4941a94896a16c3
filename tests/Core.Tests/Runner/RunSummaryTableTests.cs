using WildLong.Core.Common;
using WildLong.Core.Runner;

namespace WildLong.Core.Tests.Runner;

public class RunSummaryTableTests
{
    [Fact]
    public void Rows_count_rejections_by_quarantine_stage_and_part_only_documents_as_indexed()
    {
        var counts = new MethodRunCounts(
            QueriesRead: 100, QueriesFiltered: 40, MetaInfoRecords: 55, MergedValues: 3, DocumentsIndexed: 12, PathsSampled: 30,
            Instructions: 28, PairsPlanned: 25, PairsGenerated: 20, PairsRejected: 5, NearDuplicatesRemoved: 2, PairsKept: 18,
            QuarantinedByStage: new Dictionary<string, int>());
        QuarantineEntry[] quarantine =
        [
            QuarantineEntry.ForInput(StageNames.ReadQueries, "q.jsonl", 3, "invalid JSON"),
            QuarantineEntry.ForItem(StageNames.MetaInfoExtraction, "q1", "the model call failed"),
            QuarantineEntry.ForItem(StageNames.MetaInfoNormalization, "q2", "no usable meta-information value left after normalization"),
            QuarantineEntry.ForItem(StageNames.IndexDocuments, "d1", "empty document text"),
            QuarantineEntry.ForItem(StageNames.IndexDocuments, "d2", "document too short to stand alone, kept for multi-document tasks only (2,000 tokens)"),
            QuarantineEntry.ForItem(StageNames.InstructionWriting, "p1", "the path has no steps"),
            QuarantineEntry.ForItem(StageNames.Pairing, "i1", "no document of the type"),
            QuarantineEntry.ForItem(StageNames.Pairing, "i2", "no document of the type"),
            QuarantineEntry.ForItem(StageNames.QualityJudge, "x1", "rejected by the quality judge: off topic"),
        ];

        var rows = RunSummaryTable.Rows(counts, quarantine);

        Assert.Equal(
        [
            new RunSummaryRow("queries → meta-information", 100, 55, 3),
            new RunSummaryRow("documents indexed", 13, 12, 1),
            new RunSummaryRow("paths → instructions", 30, 28, 1),
            new RunSummaryRow("instructions → pairs planned", 28, 25, 2),
            new RunSummaryRow("pairs planned → generated", 25, 20, 5),
            new RunSummaryRow("dataset (after dedup)", 20, 18, 2),
        ], rows);
    }
}
