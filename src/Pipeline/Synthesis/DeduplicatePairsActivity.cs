using System.Runtime.CompilerServices;
using Microsoft.DurableTask;
using WildLong.Core;
using WildLong.Core.Generation;
using WildLong.Core.Model;
using WildLong.Pipeline.Orchestration;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// Adds a round's generated pairs to the pairs kept so far, dropping near-duplicates (earlier pairs always win, so a
/// later round never displaces what an earlier one kept). Writes the cumulative kept list for the round.
/// </summary>
/// <remarks>Only what the filter compares is held in memory (<see cref="TrainingRecordHeader"/>); the kept list is then
/// written line by line from the blobs it comes from. Reading the pairs whole — each holds its documents — and
/// buffering the output took the process to 12–15 GB at 10,000 pairs.</remarks>
public sealed class DeduplicatePairsActivity(PipelineBlobStore blobs, RunStageFactory stages) : TaskActivity<RoundRequest, WorkSummary>
{
    public override async Task<WorkSummary> RunAsync(TaskActivityContext context, RoundRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var target = blobs.Layout.KeptPairs(input.RunId, input.Round);
        if (await blobs.TryGetCompletedAsync<WorkSummary>(target, cancellationToken) is { } done)
        {
            return done;
        }

        var earlierBlob = input.Round > 1 ? blobs.Layout.KeptPairs(input.RunId, input.Round - 1) : null;
        var slices = Enumerable.Range(0, input.Slices).Select(index => blobs.Layout.GeneratedPairs(input.RunId, input.Round, index)).ToList();
        var earlier = earlierBlob is null ? [] : await TrainingRecordHeader.ReadAsync(blobs, earlierBlob, cancellationToken);
        var generated = new List<TrainingRecord>();
        foreach (var slice in slices)
        {
            generated.AddRange(await TrainingRecordHeader.ReadAsync(blobs, slice, cancellationToken));
        }

        var distinct = await NearDuplicateFilter.KeepNewAsync(earlier, generated, stages.For(input.Settings).Deduplicator.FilterAsync, cancellationToken);
        var fresh = distinct.Items.ToHashSet(ReferenceEqualityComparer.Instance);
        var keep = generated.Select(fresh.Contains).ToArray();
        var summary = new WorkSummary(generated.Count, earlier.Count + fresh.Count, generated.Count - fresh.Count, new Dictionary<string, StageUsage>(), 0m,
            MultiDocument: earlier.Concat(distinct.Items).Count(r => r.Meta.TaskKind != TaskKind.SingleDocument));
        await blobs.WriteLinesAsync(blobs.Layout.RunQuarantine(input.RunId, StageNames.NearDuplicateFilter, input.Round, 0), distinct.Quarantined, summary, cancellationToken);
        await blobs.WriteRawLinesAsync(target, KeptLinesAsync(earlierBlob, slices, keep, cancellationToken), summary, cancellationToken);
        return summary;
    }

    /// <summary>The earlier kept lines, then the generated lines that survived, in the order they were read.</summary>
    private async IAsyncEnumerable<string> KeptLinesAsync(BlobRef? earlierBlob, IReadOnlyList<BlobRef> slices, bool[] keep, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (earlierBlob is not null)
        {
            await foreach (var line in blobs.ReadRawLinesAsync(earlierBlob, cancellationToken))
            {
                yield return line;
            }
        }

        var position = 0;
        foreach (var slice in slices)
        {
            await foreach (var line in blobs.ReadRawLinesAsync(slice, cancellationToken))
            {
                if (keep[position++])
                {
                    yield return line;
                }
            }
        }
    }
}
