namespace WildLong.Pipeline.Extraction;

/// <summary>Input of <see cref="ListInputBlobsActivity"/>: a container and a name prefix ("" for all).</summary>
public sealed record BlobListRequest(string Container, string Prefix);
