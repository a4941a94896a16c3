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
    /// <summary>The stage name used in quarantine entries.</summary>
    public const string StageName = "metainfo-normalization";

    private readonly MetaInfoSchema schema;
    private readonly DocumentTaxonomy taxonomy;
    private readonly ValueNormalizer normalizer;
    private readonly ILogger<MetaInfoNormalizer> logger;

    public MetaInfoNormalizer(MetaInfoSchema schema, DocumentTaxonomy taxonomy, ValueNormalizer normalizer, ILogger<MetaInfoNormalizer> logger)
    {
        this.schema = schema ?? throw new ArgumentNullException(nameof(schema));
        this.taxonomy = taxonomy ?? throw new ArgumentNullException(nameof(taxonomy));
        this.normalizer = normalizer ?? throw new ArgumentNullException(nameof(normalizer));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
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
                quarantined.Add(QuarantineEntry.ForItem(StageName, extracted?.QueryId ?? "(null)", "the extracted record has no query id"));
                continue;
            }

            var record = Normalize(extracted);
            if (record.Fields.Keys.All(schema.NonGraphFields.Contains))
            {
                quarantined.Add(QuarantineEntry.ForItem(StageName, extracted.QueryId, "no usable meta-information value left after normalization"));
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
        foreach (var field in schema.ValueFields)
        {
            if (!extracted.Fields.TryGetValue(field.Name, out var raw) || raw is null)
            {
                continue;
            }

            var values = NormalizeField(field, raw);
            if (values.Count > 0)
            {
                fields[field.Name] = values;
            }
        }

        var documentType = taxonomy.Names.Contains(extracted.DocumentType) ? extracted.DocumentType : taxonomy.Resolve(extracted.RawDocumentType ?? extracted.DocumentType);
        return new MetaInfoRecord(extracted.QueryId, documentType, fields);
    }

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
