using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using WildLong.Core.Common;

namespace WildLong.Core.Documents;

/// <summary>
/// The bounded set of document types that queries and corpus documents are classified into. Graphs are built per
/// type and documents are paired with instructions of their type, so both sides must map into the same names.
/// Configurable (a JSON file); unknown or rare types fold into <see cref="Other"/>.
/// </summary>
public sealed class DocumentTaxonomy
{
    private readonly Dictionary<string, string> exact = new(StringComparer.Ordinal);
    private readonly List<(string Phrase, string Type)> phrases = [];

    public DocumentTaxonomy(IReadOnlyList<DocumentTypeDefinition> types, string other = "other")
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentException.ThrowIfNullOrEmpty(other);
        if (types.Count == 0)
        {
            throw new ArgumentException("a taxonomy needs at least one document type", nameof(types));
        }

        Types = types;
        Other = other;
        foreach (var type in types)
        {
            var key = Key(type.Name);
            if (!exact.TryAdd(key, type.Name) && exact[key] != type.Name)
            {
                throw new ArgumentException($"document type '{type.Name}' is defined twice", nameof(types));
            }

            foreach (var alias in type.Aliases ?? [])
            {
                exact.TryAdd(Key(alias), type.Name);
                phrases.Add((Key(alias), type.Name));
            }

            phrases.Add((key, type.Name));
        }

        exact.TryAdd(Key(other), other);

        // Longer phrases first, so "research paper" wins over "paper".
        phrases.Sort((a, b) => b.Phrase.Length.CompareTo(a.Phrase.Length));
    }

    public IReadOnlyList<DocumentTypeDefinition> Types { get; }

    public string Other { get; }

    /// <summary>Every type name including <see cref="Other"/>; this is the enum offered to the model.</summary>
    public IReadOnlyList<string> Names => [.. Types.Select(t => t.Name), Other];

    public static DocumentTaxonomy Default { get; } = LoadDefault();

    /// <summary>Loads a taxonomy file: <c>{"other": "other", "types": [{"name", "description", "aliases"}]}</c>.</summary>
    public static DocumentTaxonomy Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream, path);
    }

    public static DocumentTaxonomy Parse(Stream json, string origin)
    {
        TaxonomyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<TaxonomyFile>(json, WildLongJson.Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{origin}: invalid taxonomy JSON at line {ex.LineNumber + 1}: {ex.Message}", ex);
        }

        if (file?.Types is null || file.Types.Count == 0)
        {
            throw new FormatException($"{origin}: taxonomy must have a non-empty 'types' array");
        }

        var bad = file.Types.FirstOrDefault(t => string.IsNullOrWhiteSpace(t.Name));
        if (bad is not null)
        {
            throw new FormatException($"{origin}: every type needs a 'name'");
        }

        return new DocumentTaxonomy(file.Types, string.IsNullOrWhiteSpace(file.Other) ? "other" : file.Other);
    }

    /// <summary>
    /// Maps a free-form type (a model's answer or a corpus hint) to a taxonomy name: exact name or alias first,
    /// then the longest alias contained in it as a phrase, else <see cref="Other"/>.
    /// </summary>
    public string Resolve(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return Other;
        }

        var key = Key(raw);
        if (exact.TryGetValue(key, out var name))
        {
            return name;
        }

        var padded = "_" + key + "_";
        foreach (var (phrase, type) in phrases)
        {
            if (padded.Contains("_" + phrase + "_", StringComparison.Ordinal))
            {
                return type;
            }
        }

        // Plural or inflected forms: "contracts" → "contract".
        foreach (var (phrase, type) in phrases)
        {
            if (key.StartsWith(phrase, StringComparison.Ordinal) || padded.Contains("_" + phrase, StringComparison.Ordinal))
            {
                return type;
            }
        }

        return Other;
    }

    /// <summary>
    /// The noun (singular, plural) users call a text of <paramref name="documentType"/> by: the type's configured
    /// <c>noun</c>, else "document"/"documents" (also for <see cref="Other"/> and unknown types).
    /// </summary>
    public (string Singular, string Plural) NounFor(string? documentType)
    {
        var type = Types.FirstOrDefault(t => string.Equals(t.Name, documentType, StringComparison.Ordinal));
        var noun = type?.Noun?.Trim();
        if (string.IsNullOrEmpty(noun))
        {
            return ("document", "documents");
        }

        var plural = type!.Plural?.Trim();
        return (noun, string.IsNullOrEmpty(plural) ? noun + "s" : plural);
    }

    /// <summary>
    /// Maps every type seen fewer than <paramref name="minCount"/> times to <see cref="Other"/> and every other type
    /// to itself. A handful of queries is too little to build a useful graph on, so rare types pool into one.
    /// </summary>
    public IReadOnlyDictionary<string, string> FoldRareTypes(IReadOnlyDictionary<string, long> counts, long minCount)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return counts.ToDictionary(kv => kv.Key, kv => kv.Value >= minCount ? kv.Key : Other, StringComparer.Ordinal);
    }

    private static string Key(string text)
    {
        var builder = new StringBuilder(text.Length);
        var lastUnderscore = true;
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
                lastUnderscore = false;
            }
            else if (!lastUnderscore)
            {
                builder.Append('_');
                lastUnderscore = true;
            }
        }

        return builder.ToString().TrimEnd('_');
    }

    private static DocumentTaxonomy LoadDefault()
    {
        using var stream = typeof(DocumentTaxonomy).Assembly.GetManifestResourceStream("WildLong.Defaults.taxonomy.default.json")
            ?? throw new InvalidOperationException("the built-in taxonomy resource is missing");
        return Parse(stream, "built-in taxonomy");
    }

    private sealed class TaxonomyFile
    {
        public string? Other { get; set; }

        public List<DocumentTypeDefinition> Types { get; set; } = [];
    }
}

/// <summary>
/// One document type: its name, a description the classifier sees, aliases that map to it, and the noun users call
/// such a text by ("contract", "paper"; plural when not noun + "s"), so requests say "the contract", not "the document".
/// </summary>
public sealed record DocumentTypeDefinition(
    string Name,
    string Description,
    [property: JsonPropertyName("aliases")] IReadOnlyList<string>? Aliases = null,
    [property: JsonPropertyName("noun")] string? Noun = null,
    [property: JsonPropertyName("plural")] string? Plural = null);
