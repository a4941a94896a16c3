namespace WildLong.Core.MetaInfo;

/// <summary>
/// One field of the meta-information schema, as configured. The description is what the model reads, so wording it
/// well matters as much as naming it; <see cref="InGraph"/> says whether its values become co-occurrence graph nodes.
/// </summary>
/// <param name="Name">snake_case key used in the model's JSON answer and in <see cref="MetaInfoRecord.Fields"/>.</param>
/// <param name="Description">Shown to the model (in the JSON schema and in the prompt).</param>
/// <param name="Kind">The value shape.</param>
/// <param name="InGraph">Whether values of this field become graph nodes.</param>
/// <param name="MaxItems">For <see cref="MetaInfoFieldKind.StringList"/>: the most values accepted from the model.</param>
/// <param name="Values">For <see cref="MetaInfoFieldKind.Enum"/>: the allowed values.</param>
/// <param name="Required">When false (the default) the model may answer null because the query does not say.</param>
/// <param name="Vocabulary">
/// For <see cref="MetaInfoFieldKind.String"/> and <see cref="MetaInfoFieldKind.StringList"/>: an open vocabulary of
/// canonical values. The model answers each value as a vocabulary entry (or <c>other: &lt;short phrase&gt;</c>) plus
/// the user's own words as detail; the canonical value becomes the graph node, so graphs get hubs, while the detail
/// stays in the record for the instruction writer and the report. Null: free-text values, as before.
/// </param>
/// <param name="ExplicitOnly">
/// True when the field describes what the request states (format, constraints, length, language): the model must
/// answer null unless the request says it. False when the field is inferred by nature (intent, profile, domain).
/// </param>
public sealed record MetaInfoField(
    string Name,
    string Description,
    MetaInfoFieldKind Kind,
    bool InGraph = true,
    int? MaxItems = null,
    IReadOnlyList<string>? Values = null,
    bool Required = false,
    IReadOnlyList<string>? Vocabulary = null,
    bool ExplicitOnly = false)
{
    /// <summary>The prefix of a value outside the vocabulary: <c>other: &lt;free text&gt;</c>.</summary>
    public const string OtherPrefix = "other:";

    /// <summary>The value that stands for "outside the vocabulary" when the free text does not recur.</summary>
    public const string OtherValue = "other";

    /// <summary>Whether the field has an open vocabulary of canonical values.</summary>
    public bool HasVocabulary => Vocabulary is { Count: > 0 };

    /// <summary>The list limit used when a list field does not set one.</summary>
    public const int DefaultMaxItems = 5;

    /// <summary>The effective list limit (1 for single-valued kinds).</summary>
    public int EffectiveMaxItems => Kind == MetaInfoFieldKind.StringList ? MaxItems ?? DefaultMaxItems : 1;
}
