using System.Security.Cryptography;
using System.Text;

namespace WildLong.Core.Common;

/// <summary>
/// The content identity of a local input (one file, or the files of a folder with the given extensions): a hash of
/// every file's relative path and SHA-256, as a blob prefix <c>local-&lt;16 hex&gt;/</c>. The CLI uploads a durable
/// run's inputs under this prefix and the in-process runner names its run with it, so the same files give the same
/// run id on every engine, wherever they sit on disk.
/// </summary>
public static class LocalInputIdentity
{
    /// <summary>The files of <paramref name="path"/> (relative name with '/' separators) in ordinal order, and their prefix; no files gives an empty list.</summary>
    public static async Task<(string Prefix, IReadOnlyList<(string FullPath, string RelativePath)> Files)> ComputeAsync(
        string path, IReadOnlyCollection<string> extensions, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(extensions);
        var files = Directory.Exists(path)
            ? InputFiles.ListFiles(path, extensions)
            : [(Path.GetFullPath(path), Path.GetFileName(path))];
        if (files.Count == 0)
        {
            return (string.Empty, files);
        }

        var hashes = new List<string>();
        foreach (var (full, relative) in files)
        {
            await using var stream = File.OpenRead(full);
            hashes.Add(relative.Replace('\\', '/') + ":" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken)));
        }

        return ("local-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', hashes))))[..16] + "/", files);
    }
}
