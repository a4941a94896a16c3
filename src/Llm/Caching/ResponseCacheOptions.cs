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
    /// Identity of who answers, in the key and recorded in each entry. Null uses the run's <see cref="ModelIdentity"/>
    /// (provider, endpoint with port and path, deployment, API version, simulated), so answers from one endpoint are
    /// never served for another; set it to share one cache across several endpoints serving the same model.
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>Folder of the file-system store (<see cref="FileSystemResponseCacheStore"/>).</summary>
    public string Directory { get; set; } = Path.Combine(".wildlong", "llm-cache");
}
