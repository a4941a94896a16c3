namespace WildLong.Core.Runner;

/// <summary>
/// One input of a run: its name (file or blob), content version, and how many items it gave the run (queries read
/// from a shard, documents indexed from a corpus); null when the accumulating mode cannot tell.
/// </summary>
public sealed record ScopedInput(string Name, string Version, long? Items);
