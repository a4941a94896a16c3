using System.Globalization;

namespace WildLong.Core.Runner;

/// <summary>
/// The one line that says why a run produced no pair — or fewer pairs than asked — with the counts behind it. Both
/// runners use it, so a user gets the same explanation whichever engine ran: no query read, no query that brings a
/// document, no usable document, no path, every planned pair rejected, or too few kept.
/// </summary>
public static class NoPairsReason
{
    /// <summary>
    /// Why generation cannot start from these inputs, or null when it can (at least one meta-information record and
    /// one usable document). <paramref name="documentRejection"/> is the most frequent indexing rejection, if known.
    /// </summary>
    public static string? BeforeGeneration(
        long queriesRead,
        long queriesFiltered,
        long queriesQuarantined,
        long records,
        long documentsRead,
        long documentsUsable,
        string? documentRejection = null)
    {
        if (records == 0)
        {
            return queriesRead == 0
                ? Format($"no query could be read from the query input ({queriesQuarantined} line(s) rejected; see quarantine.jsonl)")
                : Format($"no query brings or refers to a document: {queriesRead} read, {queriesFiltered} filtered as needing no document, {queriesQuarantined} rejected");
        }

        if (documentsUsable == 0)
        {
            return documentsRead == 0
                ? "no document could be read from the corpus (see quarantine.jsonl)"
                : Format($"no document is usable: {documentsRead} read, none indexed") + (documentRejection is null ? " (see quarantine.jsonl)" : $" (most often: {documentRejection})");
        }

        return null;
    }

    /// <summary>Why rounds that did run kept nothing.</summary>
    public static string AfterGeneration(long paths, long instructions, long planned, long generated, long rejected, long nearDuplicates)
        => paths == 0
            ? "no instruction path could be sampled from the graphs for the documents' types"
            : Format($"every pair was lost: {paths} paths, {instructions} instructions, {planned} pairs planned, {generated} generated, {rejected} rejected, {nearDuplicates} near-duplicates (reasons in quarantine.jsonl)");

    /// <summary>Why a run kept some pairs but fewer than <paramref name="asked"/>, with where the rest were lost.</summary>
    public static string FewerThanAsked(long asked, long kept, long paths, long instructions, long planned, long generated, long rejected, long nearDuplicates)
        => Format($"kept {kept} of the {asked} pairs asked: {paths} paths, {instructions} instructions, {planned} pairs planned, {generated} generated, {rejected} rejected, {nearDuplicates} near-duplicates (reasons in quarantine.jsonl); the inputs support no more within WildLong:Run:MaxRounds — add queries or documents, or raise WildLong:Run:Oversample or MaxRounds");

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
