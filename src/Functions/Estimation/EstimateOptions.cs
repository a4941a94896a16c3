namespace WildLong.Functions.Estimation;

/// <summary>
/// Limits of the HTTP dry run, which downloads the input blobs to the instance's temp folder before estimating: a
/// cap on the bytes it will download, so a prefix naming a huge corpus is refused (413) instead of filling the disk.
/// </summary>
public sealed class EstimateOptions
{
    public const string SectionName = "WildLong:Estimate";

    /// <summary>Total bytes of query shards and corpus files one estimate may download (default 512 MiB).</summary>
    public long MaxDownloadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Folder for the downloads; null uses the system temp folder.</summary>
    public string? WorkDirectory { get; set; }
}
