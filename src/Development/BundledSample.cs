namespace WildLong.Development;

/// <summary>
/// The bundled sample (<c>samples/queries.jsonl</c> and <c>samples/documents.jsonl</c> at the repository root), found
/// from the working folder or the tool's own folder upwards: a development convenience (the quick start), since an
/// installed tool has no repository around it.
/// </summary>
public static class BundledSample
{
    /// <summary>The sample's query and document files, or null when no folder above holds them.</summary>
    public static (string Queries, string Documents)? TryLocate()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var queries = Path.Combine(dir.FullName, "samples", "queries.jsonl");
                var documents = Path.Combine(dir.FullName, "samples", "documents.jsonl");
                if (File.Exists(queries) && File.Exists(documents))
                {
                    return (queries, documents);
                }
            }
        }

        return null;
    }
}
