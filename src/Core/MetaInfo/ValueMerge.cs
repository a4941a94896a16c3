namespace WildLong.Core.MetaInfo;

/// <summary>
/// One line of the manifest's <c>top_merges</c>: a canonical value and what was folded into it, so a reader can see
/// whether merging joined true variants ("summarise key points" → "summarize key points") or hid distinctions.
/// </summary>
/// <param name="Into">The canonical value (a vocabulary entry, a promoted free-text value, or <c>other</c>).</param>
/// <param name="Occurrences">Occurrences of the folded values (records that now count for <paramref name="Into"/>).</param>
/// <param name="MergedValues">How many distinct values were folded in.</param>
/// <param name="Examples">Up to five of them, most frequent first.</param>
public sealed record ValueMerge(string Into, long Occurrences, int MergedValues, IReadOnlyList<string> Examples);
