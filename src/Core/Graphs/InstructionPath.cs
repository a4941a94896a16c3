using WildLong.Core.Generation;

namespace WildLong.Core.Graphs;

/// <summary>
/// A path sampled on one document type's graph: an ordered set of (field, value) choices that together describe
/// a plausible user need. <see cref="Index"/> is the path's position in the sampling plan; with the seed it fully
/// determines the path.
/// </summary>
public sealed record InstructionPath(string DocumentType, long Index, IReadOnlyList<PathStep> Steps)
{
    /// <summary>
    /// The task kind the round planner assigned (see <see cref="TaskKindPlanner.Assign"/>); null lets the writer
    /// decide from seed and index alone. Not part of <see cref="Key"/>: the same path is the same need in any form.
    /// </summary>
    public TaskKind? PlannedKind { get; init; }

    /// <summary>A canonical key (document type and steps in field order) used to deduplicate paths.</summary>
    public string Key => DocumentType + "|" + string.Join("|", Steps.OrderBy(s => s.Field, StringComparer.Ordinal).Select(s => s.Field + "=" + s.Value));

    /// <summary>
    /// One or two short excerpts of real requests with this path's task (see
    /// <see cref="Instructions.RequestExampleIndex"/>), shown to the instruction writer as style examples. Not part of
    /// <see cref="Key"/>: the same path with other examples is the same path. Null when none were attached (then
    /// it is not serialized, so path blobs without examples are unchanged).
    /// </summary>
    public IReadOnlyList<string>? Examples { get; init; }

    /// <summary>
    /// Real users' own words for some of the path's values (one per step at most; see
    /// <see cref="Instructions.RequestExampleIndex.DetailsFor"/>), so the writer can be as specific as real requests.
    /// Like <see cref="Examples"/>, not part of <see cref="Key"/> and null when none were attached.
    /// </summary>
    public IReadOnlyList<Instructions.StepDetail>? Details { get; init; }
}

/// <summary>One value chosen for one meta-information field.</summary>
public sealed record PathStep(string Field, string Value);
