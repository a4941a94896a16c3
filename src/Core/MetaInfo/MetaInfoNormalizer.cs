using Microsoft.Extensions.Logging;
using WildLong.Core.Common;
using WildLong.Core.Documents;

namespace WildLong.Core.MetaInfo;

/// <summary>
/// Turns raw extracted meta-information into <see cref="MetaInfoRecord"/>s, the unit the graphs are built from:
/// free-text values canonicalized by <see cref="ValueNormalizer"/>, enum and boolean values kept verbatim, empty
/// and placeholder values dropped, list values deduplicated, the document type mapped into the taxonomy. Purely
/// local (no global counts), so it runs inside each extraction batch; global merging comes later
/// (<see cref="NearDuplicateMerger"/>). A record left with no value in any graph field is quarantined, since it
/// cannot contribute to any graph.
/// </summary>
public sealed class MetaInfoNormalizer
{
    private readonly MetaInfoSchema schema;
    private readonly DocumentTaxonomy taxonomy;
    private readonly ValueNormalizer normalizer;
    private readonly ILogger<MetaInfoNormalizer> logger;
    private readonly Dictionary<string, Dictionary<string, string>> vocabularies;

    public MetaInfoNormalizer(MetaInfoSchema schema, DocumentTaxonomy taxonomy, ValueNormalizer normalizer, ILogger<MetaInfoNormalizer> logger)
    {
        this.schema = schema ?? throw new ArgumentNullException(nameof(schema));
        this.taxonomy = taxonomy ?? throw new ArgumentNullException(nameof(taxonomy));
        this.normalizer = normalizer ?? throw new ArgumentNullException(nameof(normalizer));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));

        // Per vocabulary field: the normalized form of each entry (and the entry as written) → the entry.
        vocabularies = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var field in schema.ValueFields.Where(f => f.HasVocabulary))
        {
            var lookup = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in field.Vocabulary!)
            {
                lookup.TryAdd(entry, entry);
                if (normalizer.Normalize(field.Name, entry) is { } folded)
                {
                    lookup.TryAdd(folded, entry);
                }
            }

            vocabularies[field.Name] = lookup;
        }
    }

    public Task<BatchResult<MetaInfoRecord>> NormalizeAsync(IReadOnlyList<ExtractedMetaInfo> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var items = new List<MetaInfoRecord>(batch.Count);
        var quarantined = new List<QuarantineEntry>();
        foreach (var extracted in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (extracted is null || string.IsNullOrWhiteSpace(extracted.QueryId))
            {
                quarantined.Add(QuarantineEntry.ForItem(StageNames.MetaInfoNormalization, extracted?.QueryId ?? "(null)", "the extracted record has no query id"));
                continue;
            }

            var record = Normalize(extracted);
            if (record.Fields.Keys.All(schema.NonGraphFields.Contains))
            {
                quarantined.Add(QuarantineEntry.ForItem(StageNames.MetaInfoNormalization, extracted.QueryId, "no usable meta-information value left after normalization"));
                continue;
            }

            items.Add(record);
        }

        if (quarantined.Count > 0 && logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Meta-information normalization: {Quarantined} of {Count} records had no usable value", quarantined.Count, batch.Count);
        }

        return Task.FromResult(new BatchResult<MetaInfoRecord>(items, quarantined));
    }

    /// <summary>Normalizes one record (fields not in the schema are dropped).</summary>
    public MetaInfoRecord Normalize(ExtractedMetaInfo extracted)
    {
        ArgumentNullException.ThrowIfNull(extracted);
        var fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var details = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var field in schema.ValueFields)
        {
            if (!extracted.Fields.TryGetValue(field.Name, out var raw) || raw is null)
            {
                continue;
            }

            if (vocabularies.ContainsKey(field.Name))
            {
                var rawDetails = extracted.Details?.GetValueOrDefault(field.Name);
                var (canonicals, fieldDetails) = NormalizeVocabularyField(field, raw, rawDetails);
                if (canonicals.Count > 0)
                {
                    fields[field.Name] = canonicals;
                    if (fieldDetails.Count > 0)
                    {
                        details[field.Name] = fieldDetails;
                    }
                }

                continue;
            }

            var values = NormalizeField(field, raw);
            if (values.Count > 0)
            {
                fields[field.Name] = values;
            }
        }

        var documentType = taxonomy.Names.Contains(extracted.DocumentType) ? extracted.DocumentType : taxonomy.Resolve(extracted.RawDocumentType ?? extracted.DocumentType);
        return new MetaInfoRecord(extracted.QueryId, documentType, fields) { Details = details.Count > 0 ? details : null };
    }

    /// <summary>
    /// The canonical value of one answer of a vocabulary field: the vocabulary entry it names (ignoring case and
    /// surface forms), else <c>other: &lt;normalized free text&gt;</c> — also when the model forgot the prefix — or
    /// <c>other</c> when no text is left. Null for a placeholder ("n/a", "none").
    /// </summary>
    public string? Canonicalize(MetaInfoField field, string? raw)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (string.IsNullOrWhiteSpace(raw) || !vocabularies.TryGetValue(field.Name, out var vocabulary))
        {
            return raw is null ? null : normalizer.Normalize(field.Name, raw);
        }

        var text = raw.Trim();
        var isOther = false;
        if (text.StartsWith(MetaInfoField.OtherValue, StringComparison.OrdinalIgnoreCase)
            && (text.Length == MetaInfoField.OtherValue.Length || text[MetaInfoField.OtherValue.Length] is ':' or '-' or '–' or '—' or '(' or ' '))
        {
            text = text[MetaInfoField.OtherValue.Length..].TrimStart(':', '-', '–', '—', '(', ' ').TrimEnd(')', ' ');
            isOther = true;
        }

        if (vocabulary.TryGetValue(text, out var entry))
        {
            return entry;
        }

        var folded = normalizer.Normalize(field.Name, text);
        if (folded is not null && vocabulary.TryGetValue(folded, out entry))
        {
            return entry;
        }

        return folded is null ? (isOther ? MetaInfoField.OtherValue : null) : $"{MetaInfoField.OtherPrefix} {folded}";
    }

    private (List<string> Values, Dictionary<string, string> Details) NormalizeVocabularyField(
        MetaInfoField field, IReadOnlyList<string> raw, IReadOnlyList<string>? rawDetails)
    {
        var values = new List<string>();
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < raw.Count && values.Count < field.EffectiveMaxItems; i++)
        {
            var canonical = Canonicalize(field, raw[i]);
            if (canonical is null)
            {
                continue;
            }

            var detail = CleanDetail(rawDetails is not null && i < rawDetails.Count ? rawDetails[i] : null);
            if (detail is null && canonical.StartsWith(MetaInfoField.OtherPrefix, StringComparison.Ordinal))
            {
                // The free text is the user's specific phrase: keep it, since a rare one folds into "other" later.
                detail = canonical[MetaInfoField.OtherPrefix.Length..].Trim();
            }

            if (!values.Contains(canonical, StringComparer.Ordinal))
            {
                values.Add(canonical);
            }

            if (detail is not null)
            {
                details[canonical] = details.TryGetValue(canonical, out var existing) && !existing.Contains(detail, StringComparison.OrdinalIgnoreCase)
                    ? $"{existing}; {detail}"
                    : details.GetValueOrDefault(canonical) ?? detail;
            }
        }

        return (values, details);
    }

    private static string? CleanDetail(string? detail)
    {
        if (string.IsNullOrWhiteSpace(detail))
        {
            return null;
        }

        var collapsed = string.Join(' ', detail.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length <= MaxDetailChars ? collapsed : collapsed[..MaxDetailChars].TrimEnd();
    }

    /// <summary>Longest detail phrase kept per value (characters).</summary>
    public const int MaxDetailChars = 160;

    private List<string> NormalizeField(MetaInfoField field, IReadOnlyList<string> raw)
    {
        switch (field.Kind)
        {
            case MetaInfoFieldKind.Boolean:
                var flag = raw.Select(v => v?.Trim().ToLowerInvariant()).FirstOrDefault(v => v is "true" or "false");
                return flag is null ? [] : [flag];
            case MetaInfoFieldKind.Enum:
                var choice = raw.Select(v => v?.Trim()).FirstOrDefault(v => v is not null && field.Values!.Contains(v, StringComparer.Ordinal));
                return choice is null ? [] : [choice];
            default:
                return [.. normalizer.NormalizeAll(field.Name, raw).Take(field.EffectiveMaxItems)];
        }
    }
}
