using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Queries;

namespace WildLong.Pipeline.Extraction;

/// <summary>
/// Reads items [start, start + count) of a local copy of an input blob with the method's own readers, so a bad line
/// is quarantined in exactly one slice (the one its position falls in) and names the blob, not the local copy.
/// </summary>
public sealed class InputSlices(QueryReader queries, DocumentReader documents)
{
    public Task<List<ReadResult<UserQuery>>> ReadQueriesAsync(string path, string blobName, int start, int count, CancellationToken cancellationToken)
        => SliceAsync(queries.ReadAsync(path, cancellationToken), path, blobName, start, count, cancellationToken);

    public Task<List<ReadResult<LongDocument>>> ReadDocumentsAsync(string path, string blobName, int start, int count, CancellationToken cancellationToken)
        => SliceAsync(documents.ReadAsync(path, cancellationToken), path, blobName, start, count, cancellationToken);

    /// <summary>The texts of the queries of a local copy whose ids are in <paramref name="ids"/> (first occurrence of an id wins), read as a stream.</summary>
    public async Task<Dictionary<string, string>> ReadQueryTextsAsync(string path, IReadOnlySet<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var item in queries.ReadAsync(path, cancellationToken))
        {
            if (item.IsSuccess && ids.Contains(item.Value!.Id))
            {
                texts.TryAdd(item.Value.Id, item.Value.Text);
            }
        }

        return texts;
    }

    public async Task<int> CountAsync(string path, InputKind kind, CancellationToken cancellationToken)
    {
        var count = 0;
        if (kind == InputKind.Queries)
        {
            await foreach (var _ in queries.ReadAsync(path, cancellationToken))
            {
                count++;
            }
        }
        else
        {
            await foreach (var _ in documents.ReadAsync(path, cancellationToken))
            {
                count++;
            }
        }

        return count;
    }

    private static async Task<List<ReadResult<T>>> SliceAsync<T>(IAsyncEnumerable<ReadResult<T>> source, string path, string blobName, int start, int count, CancellationToken cancellationToken)
        where T : class
    {
        var items = new List<ReadResult<T>>(count);
        var position = 0;
        await foreach (var item in source.WithCancellation(cancellationToken))
        {
            if (position++ < start)
            {
                continue;
            }

            items.Add(item.IsSuccess ? item : ReadResult<T>.Fail(item.Error! with { Source = Rename(item.Error!.Source, path, blobName) }));
            if (items.Count == count)
            {
                break;
            }
        }

        return items;
    }

    private static string Rename(string source, string path, string blobName)
        => source.Replace(path, blobName, StringComparison.Ordinal);
}
