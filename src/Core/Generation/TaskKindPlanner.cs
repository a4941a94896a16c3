namespace WildLong.Core.Generation;

/// <summary>
/// Decides, before an instruction is written, whether its path becomes a single-document or a multi-document task.
/// The decision must precede writing (the instruction says "the document" or "these documents"), and it is a pure
/// function of seed, document type and index so that the writer and later stages always agree.
/// </summary>
public static class TaskKindPlanner
{
    public static TaskKind Plan(GenerationOptions options, string documentType, long index)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(documentType);
        var random = GenerationSeeds.Random(options.Seed, "task-kind", documentType, index);
        if (random.NextDouble() >= options.MultiDocumentShare)
        {
            return TaskKind.SingleDocument;
        }

        return random.NextDouble() < options.ComparisonShare ? TaskKind.Comparison : TaskKind.Aggregation;
    }
}
