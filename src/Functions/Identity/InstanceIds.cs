using System.Security.Cryptography;
using System.Text;
using WildLong.Storage.Graphs;

namespace WildLong.Functions.Identity;

/// <summary>
/// Deterministic orchestration instance ids: the same uploaded blob content or the same graph state always gives the
/// same id, so a re-delivered Event Grid event or a second timer tick finds the instance it already started instead of
/// starting (and paying for) another one. Run ids of HTTP and scheduled runs come from
/// <see cref="WildLong.Core.Runner.RunIdentity"/>, the derivation the CLI uses too.
/// </summary>
public static class InstanceIds
{
    /// <summary>
    /// Run-id kind (and so instance-id prefix) of scheduled regenerations: each one's instance id is its run id
    /// (<c>scheduled-&lt;hash&gt;</c>), so <c>GET /api/runs/{runId}</c> finds it and no run replaces another's history.
    /// </summary>
    public const string ScheduledKind = "scheduled";

    private const int HashChars = 16;

    /// <summary>
    /// The instance id of the orchestration an uploaded blob starts: <paramref name="prefix"/> plus a hash of the
    /// container, the name and the content version (content MD5 when the service has one, else the ETag).
    /// </summary>
    public static string ForBlob(string prefix, string container, string name, string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentException.ThrowIfNullOrWhiteSpace(container);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        return prefix + "-" + Hash("blob", container, name) + "-" + Hash("version", version);
    }

    /// <summary>
    /// The content version of a blob for <see cref="ForBlob"/>: its MD5 (the same bytes uploaded again are the same
    /// work) or, when the service computed none (large block uploads), its ETag.
    /// </summary>
    public static string BlobVersion(byte[]? contentMd5, string? etag)
    {
        if (contentMd5 is { Length: > 0 })
        {
            return "md5:" + Convert.ToHexStringLower(contentMd5);
        }

        if (string.IsNullOrWhiteSpace(etag))
        {
            throw new ArgumentException("a blob version needs a content MD5 or an ETag");
        }

        return "etag:" + etag.Trim('"');
    }

    /// <summary>
    /// A fingerprint of the counted graph shards (shard ids and versions, order-independent): equal while no shard is
    /// merged again, different as soon as one is.
    /// </summary>
    public static string GraphState(IEnumerable<GraphShardInfo> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var parts = shards.Select(s => s.ShardId + "=" + s.Version).Order(StringComparer.Ordinal).ToArray();
        return Hash(["graph-state", .. parts]);
    }

    /// <summary>SHA-256 over length-prefixed parts (so "a","bc" and "ab","c" differ), first 16 hex digits.</summary>
    private static string Hash(params string[] parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            sha.AppendData(BitConverter.GetBytes(bytes.Length));
            sha.AppendData(bytes);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..HashChars];
    }
}
