namespace WildLong.Core.Generation;

/// <summary>
/// Why an item was dropped by near-duplicate filtering: which earlier, kept item it repeats and how similar they
/// are (Jaccard similarity of word shingles), so the decision can be audited and the threshold tuned.
/// </summary>
public sealed record NearDuplicate(string ItemId, int Position, string DuplicateOfId, int DuplicateOfPosition, double Similarity);
