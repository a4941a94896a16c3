namespace WildLong.Core.MetaInfo;

/// <summary>
/// Configuration of per-value canonicalization: synonyms (global and per field), placeholder answers that mean
/// "no value", and plural folding. Synonym keys and targets are written naturally; they are normalized the same way
/// as values before use, so "Q&amp;A" or "Bullet-Points" work as keys.
/// </summary>
public sealed class ValueNormalizerOptions
{
    public const string SectionName = "WildLong:ValueNormalizer";

    /// <summary>Answers that mean "the query does not say"; values equal to one of these are dropped.</summary>
    public static IReadOnlyList<string> DefaultNullValues { get; } =
    [
        "none", "n/a", "na", "null", "nil", "nothing", "unknown", "unspecified", "not specified", "not applicable",
        "not mentioned", "not stated", "not provided", "not given", "not clear", "unclear", "no specific requirement",
        "no specific constraint", "no constraint", "no requirement", "-",
    ];

    /// <summary>Value → canonical value, for every field.</summary>
    public Dictionary<string, string> Synonyms { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Field → (value → canonical value); consulted before <see cref="Synonyms"/>.</summary>
    public Dictionary<string, Dictionary<string, string>> FieldSynonyms { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Replaces <see cref="DefaultNullValues"/> when set.</summary>
    public List<string>? NullValues { get; set; }

    /// <summary>Fold English plurals to singular ("reports" → "report") on head words.</summary>
    public bool FoldPlurals { get; set; } = true;
}
