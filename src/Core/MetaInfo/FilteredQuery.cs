namespace WildLong.Core.MetaInfo;

/// <summary>
/// A query that was deliberately left out of extraction (not an error): the pre-filter found it too short, or the
/// model judged that it brings or refers to no document. Kept with its reason so the filter can be audited.
/// </summary>
/// <param name="QueryId">The id of the query.</param>
/// <param name="FilteredBy"><see cref="ByPreFilter"/> or <see cref="ByModel"/>.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record FilteredQuery(string QueryId, string FilteredBy, string Reason)
{
    public const string ByPreFilter = "pre_filter";

    public const string ByModel = "model";
}
