namespace WildLong.Core.Graphs;

/// <summary>The stable, serializable form of a <see cref="GraphSet"/>: one graph DTO per document type, sorted by type.</summary>
public sealed record GraphSetDto(IReadOnlyList<CooccurrenceGraphDto> Graphs);
