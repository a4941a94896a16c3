namespace WildLong.Simulator.Batches;

/// <summary>An uploaded or generated file held in memory (batch input, output or error JSONL).</summary>
internal sealed record StoredFile(string Id, string FileName, string Purpose, byte[] Content, long CreatedAt);
