namespace WildLong.Core.Graphs;

/// <summary>
/// The value set of real records, as a fingerprint: the sorted 64-bit hashes (16 hex digits each, see
/// <see cref="RecordSignatures.NodeHash"/>) of the (field, value) nodes one record holds, and how many records held
/// exactly that set. It is what tells whether a sampled path recombines values or replays one record; rows for the
/// same set add up.
/// </summary>
public sealed record GraphRecordSignature(IReadOnlyList<string> Nodes, long Count);
