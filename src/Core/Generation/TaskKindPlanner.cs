using WildLong.Core.Graphs;

namespace WildLong.Core.Generation;

/// <summary>
/// Decides, before an instruction is written, whether its path becomes a single-document or a multi-document task.
/// The decision must precede writing (the instruction says "the document" or "these documents"), and it is a pure
/// function of seed, document type and index so that the writer and later stages always agree.
/// </summary>
public static class TaskKindPlanner
{
    /// <summary>
    /// Gives a round's paths their task kind: exactly round(<paramref name="multiDocumentShare"/> × paths) of them
    /// (fewer when too few are of <paramref name="multiDocumentTypes"/>) become multi-document tasks, chosen among
    /// the paths of types that have enough documents within the budget by a hash of (seed, type, index); the rest
    /// are single-document. An exact count, rather than a coin per path, keeps a small round's mix on target.
    /// </summary>
    public static IReadOnlyList<InstructionPath> Assign(GenerationOptions options, IReadOnlyList<InstructionPath> paths, double multiDocumentShare, IReadOnlySet<string> multiDocumentTypes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(multiDocumentTypes);
        var wanted = (int)Math.Round(Math.Clamp(multiDocumentShare, 0, 1) * paths.Count, MidpointRounding.AwayFromZero);
        var multi = paths
            .Where(p => multiDocumentTypes.Contains(p.DocumentType))
            .OrderBy(p => GenerationSeeds.Stream(options.Seed, "task-kind-rank", p.DocumentType, p.Index))
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(wanted)
            .Select(p => p.Key)
            .ToHashSet(StringComparer.Ordinal);
        return [.. paths.Select(p => p with { PlannedKind = multi.Contains(p.Key) ? MultiKind(options, p.DocumentType, p.Index) : TaskKind.SingleDocument })];
    }

    /// <summary>Comparison or aggregation, by <see cref="GenerationOptions.ComparisonShare"/>.</summary>
    private static TaskKind MultiKind(GenerationOptions options, string documentType, long index)
        => GenerationSeeds.Random(options.Seed, "multi-kind", documentType, index).NextDouble() < options.ComparisonShare
            ? TaskKind.Comparison
            : TaskKind.Aggregation;

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
