namespace WildLong.Core.Instructions;

/// <summary>
/// One real request excerpt filed under a document type and a task value (see <see cref="RequestExampleIndex"/>).
/// The query id decides which excerpts are kept, so shards combine to the same index in any order.
/// </summary>
public sealed record RequestExample(string DocumentType, string Task, string QueryId, string Excerpt);
