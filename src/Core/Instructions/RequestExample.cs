namespace WildLong.Core.Instructions;

/// <summary>
/// A real user's own words filed under a document type and one (field, value) of their meta-information (see
/// <see cref="RequestExampleIndex"/>): an excerpt of the request itself, filed under its task values, or the detail
/// the user gave for a canonical value (<see cref="MetaInfo.MetaInfoRecord.Details"/>). The query id decides which
/// entries are kept, so shards combine to the same index in any order.
/// </summary>
public sealed record RequestExample(RequestExampleKind Kind, string DocumentType, string Field, string Value, string QueryId, string Text);
