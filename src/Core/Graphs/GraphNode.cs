namespace WildLong.Core.Graphs;

/// <summary>
/// One (field, value) node with the number of records it was extracted from: the plain row form of a graph's node
/// counts, used for serialization and for storing counts in a table (partition by document type, row by field/value).
/// </summary>
public sealed record GraphNode(string Field, string Value, long Count);
