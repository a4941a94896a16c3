namespace WildLong.Core.Generation;

/// <summary>
/// A response with the passages it cites: <see cref="Answer"/> carries <c>[n]</c> markers that point into
/// <see cref="Citations"/> (1-based). The training text is derived from it by <see cref="CitationMarkers"/>.
/// </summary>
public sealed record GroundedResponse(string Answer, IReadOnlyList<ResponseCitation> Citations);
