namespace WildLong.Llm.Batch;

/// <summary>
/// A written batch input file and the <c>custom_id</c>s in it, so the orchestration can upload it, and later check
/// that every request it contained came back exactly once.
/// </summary>
public sealed record BatchRequestFile(string Path, int LineCount, long Bytes, IReadOnlyList<string> CustomIds);
