using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;

namespace WildLong.Storage.Blobs;

/// <summary>
/// The pipeline's blob I/O: JSON-lines outputs written whole with a completion mark and a small summary in their
/// metadata (so an activity that finds its output complete returns the summary without redoing the work), listing,
/// and local copies of input shards named by content hash (so the many activities slicing one shard download it
/// once per machine and notice if it changed under them).
/// </summary>
public sealed class PipelineBlobStore
{
    private const string CompleteKey = "wildlong_complete";
    private const string SummaryKey = "wildlong_summary";

    private readonly BlobServiceClient blobs;
    private readonly ConcurrentDictionary<string, Lazy<Task>> ensured = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> downloads = new(StringComparer.Ordinal);
    private readonly string cacheDirectory;

    /// <param name="blobs">The account's blob service.</param>
    /// <param name="storage">Container names.</param>
    /// <param name="cacheDirectory">Where downloaded query shards are kept, shared by the activities of a process
    /// (<c>WildLong:Pipeline:ShardCacheDirectory</c>; null: <c>wildlong-shards</c> in the temporary folder).</param>
    public PipelineBlobStore(BlobServiceClient blobs, IOptions<StorageOptions> storage, string? cacheDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        this.blobs = blobs ?? throw new ArgumentNullException(nameof(blobs));
        Layout = new BlobLayout(storage.Value.Containers);
        this.cacheDirectory = cacheDirectory ?? Path.Combine(Path.GetTempPath(), "wildlong-shards");
    }

    public BlobLayout Layout { get; }

    public BlobClient Client(BlobRef blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return blobs.GetBlobContainerClient(blob.Container).GetBlobClient(blob.Name);
    }

    /// <summary>The summary stored with a complete output, or null when the output is missing or incomplete.</summary>
    public async Task<T?> TryGetCompletedAsync<T>(BlobRef blob, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var properties = await Client(blob).GetPropertiesAsync(cancellationToken: cancellationToken);
            var metadata = properties.Value.Metadata;
            if (!metadata.TryGetValue(CompleteKey, out var complete) || complete != "true" || !metadata.TryGetValue(SummaryKey, out var summary))
            {
                return null;
            }

            return JsonSerializer.Deserialize<T>(Convert.FromBase64String(summary), WildLongJson.Options);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Writes JSON lines as one blob, replacing what is there; the summary and completion mark travel with it.</summary>
    public async Task WriteLinesAsync<TItem, TSummary>(BlobRef blob, IEnumerable<TItem> items, TSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        {
            foreach (var item in items)
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(item, WildLongJson.Options).AsMemory(), cancellationToken);
            }
        }

        buffer.Position = 0;
        await UploadAsync(blob, buffer, summary, cancellationToken);
    }

    /// <summary>Uploads content whole (one request for ordinary sizes, so readers never see half a blob).</summary>
    public async Task UploadAsync<TSummary>(BlobRef blob, Stream content, TSummary summary, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(blob.Container, cancellationToken);
        var metadata = new Dictionary<string, string>
        {
            [CompleteKey] = "true",
            [SummaryKey] = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(summary, WildLongJson.Options)),
        };
        await Client(blob).UploadAsync(content, new BlobUploadOptions { Metadata = metadata }, cancellationToken);
    }

    public async Task UploadTextAsync(BlobRef blob, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        await EnsureContainerAsync(blob.Container, cancellationToken);
        await Client(blob).UploadAsync(BinaryData.FromString(text), overwrite: true, cancellationToken);
    }

    public async Task<string> DownloadTextAsync(BlobRef blob, CancellationToken cancellationToken)
    {
        var content = await Client(blob).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToString();
    }

    public async Task<bool> ExistsAsync(BlobRef blob, CancellationToken cancellationToken)
        => (await Client(blob).ExistsAsync(cancellationToken)).Value;

    /// <summary>Reads a JSON-lines blob written by <see cref="WriteLinesAsync{TItem, TSummary}"/>; a missing blob reads as empty.</summary>
    public async Task<List<T>> ReadLinesAsync<T>(BlobRef blob, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        await foreach (var line in ReadRawLinesAsync(blob, cancellationToken))
        {
            items.Add(JsonSerializer.Deserialize<T>(line, WildLongJson.Options)!);
        }

        return items;
    }

    /// <summary>
    /// The lines of a JSON-lines blob one at a time, without holding the blob (empty lines skipped); a missing blob
    /// reads as empty. <see cref="ReadLinesAsync{T}"/> reads through it.
    /// </summary>
    public async IAsyncEnumerable<string> ReadRawLinesAsync(BlobRef blob, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Response<BlobDownloadStreamingResult> response;
        try
        {
            response = await Client(blob).DownloadStreamingAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            yield break;
        }

        using var reader = new StreamReader(response.Value.Content, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }

    /// <summary>
    /// Writes lines as one blob, like <see cref="WriteLinesAsync{TItem, TSummary}"/>, but through a temporary file
    /// instead of memory: for outputs as large as all of a run's pairs (each holds its documents; 10,000 pairs are
    /// gigabytes). The blob appears whole, with its summary and completion mark, when the upload commits.
    /// </summary>
    public async Task WriteRawLinesAsync<TSummary>(BlobRef blob, IAsyncEnumerable<string> lines, TSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var path = Path.Combine(Path.GetTempPath(), $"wildlong-{Guid.NewGuid():N}.jsonl");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (var writer = new StreamWriter(file, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
        {
            await foreach (var line in lines.WithCancellation(cancellationToken))
            {
                await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
            }
        }

        file.Position = 0;
        await UploadAsync(blob, file, summary, cancellationToken);
    }

    /// <summary>Blob names under a prefix, in name order.</summary>
    public async Task<List<string>> ListAsync(string container, string? prefix, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(container, cancellationToken);
        var names = new List<string>();
        await foreach (var item in blobs.GetBlobContainerClient(container).GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            names.Add(item.Name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// A local copy of an input blob, named by its content hash. With <paramref name="expectedVersion"/> null the blob
    /// is downloaded and hashed (planning); otherwise the copy of that version is reused, or the blob downloaded again
    /// and rejected if its content is no longer that version.
    /// </summary>
    public async Task<LocalBlobCopy> GetLocalCopyAsync(BlobRef blob, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        Directory.CreateDirectory(cacheDirectory);
        var extension = InputFiles.FileExtension(blob.Name); // .jsonl.gz stays .jsonl.gz, so the copy is read as what it is
        if (expectedVersion is not null)
        {
            var cached = Path.Combine(cacheDirectory, expectedVersion + extension);
            if (File.Exists(cached))
            {
                return new LocalBlobCopy(cached, expectedVersion);
            }
        }

        var gate = downloads.GetOrAdd(blob.ToString(), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (expectedVersion is not null && File.Exists(Path.Combine(cacheDirectory, expectedVersion + extension)))
            {
                return new LocalBlobCopy(Path.Combine(cacheDirectory, expectedVersion + extension), expectedVersion);
            }

            var temporary = Path.Combine(cacheDirectory, $"{Guid.NewGuid():N}.partial");
            string version;
            try
            {
                await using (var file = File.Create(temporary))
                using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    var response = await Client(blob).DownloadStreamingAsync(cancellationToken: cancellationToken);
                    await using var source = response.Value.Content;
                    var chunk = new byte[81920];
                    int read;
                    while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
                    {
                        sha.AppendData(chunk, 0, read);
                        await file.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
                    }

                    version = Convert.ToHexStringLower(sha.GetHashAndReset())[..24];
                }

                if (expectedVersion is not null && version != expectedVersion)
                {
                    throw new InvalidOperationException($"{blob} changed after it was planned (content version {version}, planned {expectedVersion}); run again to process the new content.");
                }

                var final = Path.Combine(cacheDirectory, version + extension);
                File.Move(temporary, final, overwrite: true);
                return new LocalBlobCopy(final, version);
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new FileNotFoundException($"{blob} does not exist.", blob.ToString(), ex);
        }
        finally
        {
            gate.Release();
        }
    }

    public Task EnsureContainerAsync(string container, CancellationToken cancellationToken)
        => ensured.GetOrAdd(container, name => new Lazy<Task>(() => blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: CancellationToken.None))).Value;
}
