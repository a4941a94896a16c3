namespace WildLong.Llm.Caching;

/// <summary>
/// Switches and scope of the response cache. The namespace is the lever for invalidation: change it (or let the
/// prompt versions in the request change) and nothing generated before is reused.
/// </summary>
public sealed class ResponseCacheOptions
{
    public const string SectionName = "WildLong:Llm:Cache";

    /// <summary>Whether requests are looked up and answers stored; false passes everything through.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Part of every key; bump it to invalidate everything cached under a prompt or policy change.</summary>
    public string Namespace { get; set; } = "v1";

    /// <summary>
    /// Provider identity in the key. Null uses the inner client's provider name and endpoint host, so answers from
    /// the simulator are never served for a real endpoint; set it to share one cache across several endpoints of
    /// the same models.
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>Folder of the file-system store (<see cref="FileSystemResponseCacheStore"/>).</summary>
    public string Directory { get; set; } = Path.Combine(".wildlong", "llm-cache");
}
