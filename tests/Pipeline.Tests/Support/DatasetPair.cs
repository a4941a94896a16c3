namespace WildLong.Pipeline.Tests.Support;

/// <summary>One pair of a dataset: its id, the documents it was generated from, and its whole JSON line.</summary>
public sealed record DatasetPair(string Id, IReadOnlyList<string> DocumentIds, string Line);
