namespace WildLong.Core.Documents;

/// <summary>Where a user-supplied document-type taxonomy lives; the built-in one is used when unset.</summary>
public sealed class TaxonomyOptions
{
    public const string SectionName = "WildLong:Taxonomy";

    /// <summary>Path of a taxonomy JSON file (<c>{"other": …, "types": [{name, description, aliases}]}</c>).</summary>
    public string? Path { get; set; }

    /// <summary>Document types extracted from fewer queries than this fold into the taxonomy's "other" type.</summary>
    public int MinQueriesPerType { get; set; } = 3;

    public DocumentTaxonomy CreateTaxonomy()
        => string.IsNullOrWhiteSpace(Path) ? DocumentTaxonomy.Default : DocumentTaxonomy.Load(Path);
}
