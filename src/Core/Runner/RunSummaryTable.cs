using WildLong.Core.Common;
using WildLong.Core.Documents;

namespace WildLong.Core.Runner;

/// <summary>
/// The one summary table of a finished run — what <c>wildlong run</c> prints on every engine — built from what every
/// engine writes into the dataset: the counts of <c>manifest.json</c> and the quarantine. The in-process runner and
/// the durable pipeline used to print two tables from their own totals, with different rows and columns.
/// </summary>
public static class RunSummaryTable
{
    /// <summary>The rows, from queries to the kept dataset; rejected items are counted by their quarantine stage.</summary>
    public static IReadOnlyList<RunSummaryRow> Rows(MethodRunCounts counts, IEnumerable<QuarantineEntry> quarantine)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(quarantine);
        var entries = quarantine.ToList();
        int Rejected(params string[] stages) => entries.Count(q => stages.Contains(q.Stage, StringComparer.Ordinal));

        // Part-only documents are indexed (one of a multi-document task's documents) and noted in the quarantine.
        var documentNotes = entries.Where(q => q.Stage == StageNames.IndexDocuments).ToList();
        var documentsSetAside = documentNotes.Count - documentNotes.Count(DocumentIndexer.IsPartOnlyNote);
        return
        [
            new("queries → meta-information", counts.QueriesRead, counts.MetaInfoRecords,
                Rejected(StageNames.ReadQueries, StageNames.MetaInfoExtraction, StageNames.MetaInfoNormalization)),
            new("documents indexed", counts.DocumentsIndexed + documentsSetAside, counts.DocumentsIndexed, documentsSetAside),
            new("paths → instructions", counts.PathsSampled, counts.Instructions, Rejected(StageNames.InstructionWriting)),
            new("instructions → pairs planned", counts.Instructions, counts.PairsPlanned, Rejected(StageNames.Pairing)),
            new("pairs planned → generated", counts.PairsPlanned, counts.PairsGenerated, counts.PairsRejected),
            new("dataset (after dedup)", counts.PairsGenerated, counts.PairsKept, counts.NearDuplicatesRemoved),
        ];
    }
}
