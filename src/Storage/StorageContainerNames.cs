namespace WildLong.Storage;

/// <summary>
/// Blob container names, one per kind of data, so retention, access and lifecycle rules can differ per kind.
/// Names must follow Azure's rules (3–63 lowercase letters, digits and single hyphens).
/// </summary>
public sealed class StorageContainerNames
{
    public string Queries { get; set; } = "queries";

    public string Documents { get; set; } = "documents";

    public string MetaInfo { get; set; } = "metainfo";

    public string Datasets { get; set; } = "datasets";

    public string Quarantine { get; set; } = "quarantine";

    /// <summary>Model answers addressed by content (see <c>BlobResponseCacheStore</c>).</summary>
    public string LlmCache { get; set; } = "llm-cache";
}
