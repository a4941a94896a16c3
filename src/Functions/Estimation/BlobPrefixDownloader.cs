using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace WildLong.Functions.Estimation;

/// <summary>
/// Copies the blobs under a prefix into a local folder (keeping their relative names), because the dry run reads
/// local files. Refuses before downloading anything when the prefix holds more than the allowed bytes.
/// </summary>
public static class BlobPrefixDownloader
{
    /// <summary>The blob names and sizes under the prefix (nothing is downloaded).</summary>
    public static async Task<IReadOnlyList<(string Name, long Size)>> ListAsync(BlobContainerClient container, string? prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var blobs = new List<(string, long)>();
        if (!await container.ExistsAsync(cancellationToken))
        {
            return blobs;
        }

        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, string.IsNullOrEmpty(prefix) ? null : prefix, cancellationToken))
        {
            blobs.Add((item.Name, item.Properties.ContentLength ?? 0));
        }

        return blobs;
    }

    /// <summary>Downloads the named blobs under <paramref name="folder"/>; names that would leave the folder are refused.</summary>
    public static async Task DownloadAsync(BlobContainerClient container, IEnumerable<string> names, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(names);
        var root = Path.GetFullPath(folder);
        Directory.CreateDirectory(root);
        foreach (var name in names)
        {
            var target = Path.GetFullPath(Path.Combine(root, name));
            if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"blob '{container.Name}/{name}' has a name that leaves the download folder; rename it");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await container.GetBlobClient(name).DownloadToAsync(target, cancellationToken);
        }
    }
}
