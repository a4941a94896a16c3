namespace WildLong.Core.Reports;

/// <summary>What <see cref="EvidenceGrounding.Measure"/> found in one pair: its passages, those found verbatim, and the depth bin of each found one.</summary>
public readonly record struct PairGrounding(bool HasCitations, int Passages, int Found, int ShortPassages, int Unreadable, IReadOnlyList<int> DepthBins)
{
    public static PairGrounding None { get; } = new(false, 0, 0, 0, 0, []);
}
