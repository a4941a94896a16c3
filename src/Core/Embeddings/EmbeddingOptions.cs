namespace WildLong.Core.Embeddings;

/// <summary>
/// Which embedding generator the method uses (near-duplicate merging of meta-information values). The default is
/// the local all-MiniLM-L6-v2 model, which needs no network; a host that registers its own
/// <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> (e.g. an Azure OpenAI embedding deployment via
/// <c>AsIEmbeddingGenerator()</c>) before <c>AddWildLongMethod</c> replaces it.
/// </summary>
public sealed class EmbeddingOptions
{
    public const string SectionName = "WildLong:Embeddings";

    /// <summary>The local model's provider name.</summary>
    public const string MiniLmProvider = "minilm";

    /// <summary>No embeddings: merging is lexical only.</summary>
    public const string NoneProvider = "none";

    /// <summary><c>minilm</c> (default) or <c>none</c>.</summary>
    public string Provider { get; set; } = MiniLmProvider;

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting when the provider is unknown.</summary>
    public void Validate()
    {
        if (!string.Equals(Provider, MiniLmProvider, StringComparison.OrdinalIgnoreCase) && !string.Equals(Provider, NoneProvider, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{SectionName}:Provider is '{Provider}'; use '{MiniLmProvider}' or '{NoneProvider}'");
        }
    }
}
