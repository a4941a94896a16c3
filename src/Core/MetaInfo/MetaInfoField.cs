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
public sealed record MetaInfoField(
    string Name,
    string Description,
    MetaInfoFieldKind Kind,
    bool InGraph = true,
    int? MaxItems = null,
    IReadOnlyList<string>? Values = null,
    bool Required = false)
{
    /// <summary>The list limit used when a list field does not set one.</summary>
    public const int DefaultMaxItems = 5;

    /// <summary>The effective list limit (1 for single-valued kinds).</summary>
    public int EffectiveMaxItems => Kind == MetaInfoFieldKind.StringList ? MaxItems ?? DefaultMaxItems : 1;
}
