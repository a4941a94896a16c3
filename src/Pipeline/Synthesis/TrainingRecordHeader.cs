using WildLong.Core.Generation;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// A pair as read for what needs only its meta-information — near-duplicate detection (it compares the instruction)
/// and the pairing's count of kept length buckets: the JSON line of a <see cref="TrainingRecord"/> with its messages
/// skipped. The messages hold the pair's documents, so a run's pairs read whole take gigabytes (at 10,000 pairs the
/// process peaked at 15 GB).
/// </summary>
internal sealed record TrainingRecordHeader(TrainingRecordMeta Meta)
{
    /// <summary>The pairs of a JSON-lines blob, each without its messages.</summary>
    public static async Task<List<TrainingRecord>> ReadAsync(PipelineBlobStore blobs, BlobRef blob, CancellationToken cancellationToken)
        => [.. (await blobs.ReadLinesAsync<TrainingRecordHeader>(blob, cancellationToken)).Select(h => new TrainingRecord([], h.Meta))];
}
