using WildLong.Pipeline.Runs;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// One activity's share of a fan-out: items [Start, Start + Count) of a source blob at a content version. The slice
/// index names the activity's output blob, which is what makes a re-delivered activity find its own earlier output.
/// <c>BatchPass</c> is 0 online; in batch mode it counts the passes of the slice (see <see cref="Batches.BatchFanOut"/>), and
/// <c>BatchFinal</c> marks the last one, on which an unanswered request fails instead of going into another batch.
/// </summary>
public sealed record WorkSlice(
    string Scope,
    BlobRef Source,
    string Version,
    int Index,
    int Start,
    int Count,
    int Round = 0,
    RunSettings? Settings = null,
    int BatchPass = 0,
    bool BatchFinal = false)
{
    /// <summary>Cuts items [0, <paramref name="items"/>) of a source into consecutive slices of at most <paramref name="batchSize"/>.</summary>
    public static List<WorkSlice> Cover(string scope, BlobRef source, string version, int items, int batchSize, int round = 0, RunSettings? settings = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var slices = new List<WorkSlice>();
        for (int start = 0, index = 0; start < items; start += batchSize, index++)
        {
            slices.Add(new WorkSlice(scope, source, version, index, start, Math.Min(batchSize, items - start), round, settings));
        }

        return slices;
    }
}
