using WildLong.Pipeline.Blobs;
using WildLong.Pipeline.Runs;

namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// One activity's share of a fan-out: items [Start, Start + Count) of a source blob at a content version. The slice
/// index names the activity's output blob, which is what makes a re-delivered activity find its own earlier output.
/// </summary>
public sealed record WorkSlice(
    string Scope,
    BlobRef Source,
    string Version,
    int Index,
    int Start,
    int Count,
    int Round = 0,
    RunSettings? Settings = null);
