namespace WildLong.Storage.Blobs;

/// <summary>A downloaded input blob and the content version (SHA-256 prefix) its outputs are keyed by.</summary>
public sealed record LocalBlobCopy(string Path, string Version);
