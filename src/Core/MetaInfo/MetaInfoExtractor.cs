using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Model;
using WildLong.Core.Prompts;
using WildLong.Core.Queries;

namespace WildLong.Core.MetaInfo;

/// <summary>
/// Stage 1 of WildLong: asks the model, once per query, whether the query brings or refers to a document and, if it
/// does, for its meta-information under the configured schema. Answers are constrained by a strict JSON schema and
/// checked field by field (list sizes, blank values, enums); rejected answers are retried with the error through
/// <see cref="LlmCaller"/> and quarantined when they stay invalid. Queries the pre-filter or the model rule out are
/// reported as filtered, not as failures. Stateless: the same batch and seed give the same requests.
/// </summary>
public sealed class MetaInfoExtractor
{
    private const string SchemaName = "metainfo-extraction";
    private readonly LlmCaller llm;
    private readonly MetaInfoSchema schema;
    private readonly DocumentTaxonomy taxonomy;
    private readonly LongContextPreFilter preFilter;
    private readonly MetaInfoExtractionOptions options;
    private readonly ILogger<MetaInfoExtractor> logger;
    private readonly PromptTemplate prompt;
    private readonly JsonElement responseSchema;
    private readonly HashSet<string> documentTypes;
    private readonly string fieldList;
    private readonly string documentTypeList;

    public MetaInfoExtractor(
        LlmCaller llm,
        MetaInfoSchema schema,
        DocumentTaxonomy taxonomy,
        LongContextPreFilter preFilter,
        PromptLibrary prompts,
        IOptions<MetaInfoExtractionOptions> options,
        ILogger<MetaInfoExtractor> logger)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        this.llm = llm ?? throw new ArgumentNullException(nameof(llm));
        this.schema = schema ?? throw new ArgumentNullException(nameof(schema));
        this.taxonomy = taxonomy ?? throw new ArgumentNullException(nameof(taxonomy));
        this.preFilter = preFilter ?? throw new ArgumentNullException(nameof(preFilter));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.options = options.Value;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(this.options.MaxOutputTokens, "MaxOutputTokens");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(this.options.MaxQueryTokens, "MaxQueryTokens");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(this.options.HeadTokens + this.options.TailTokens, this.options.MaxQueryTokens, "HeadTokens + TailTokens");

        prompt = prompts.Get(this.options.PromptName);
        responseSchema = StrictSchemaBuilder.Build(schema, taxonomy);
        var violations = StrictSchemaRules.Check(responseSchema);
        if (violations.Count > 0)
        {
            throw new InvalidOperationException("the meta-information schema does not satisfy strict structured outputs: " + string.Join("; ", violations));
        }

        documentTypes = taxonomy.Names.ToHashSet(StringComparer.Ordinal);
        fieldList = DescribeFields(schema);
        documentTypeList = string.Join('\n', taxonomy.Types.Select(t => $"- {t.Name}: {t.Description}").Append($"- {taxonomy.Other}: none of the above"));
    }

    /// <summary>The JSON schema sent to the model (strict structured outputs).</summary>
    public JsonElement ResponseSchema => responseSchema;

    /// <summary>The text every extraction prompt adds besides the template and the query (field list with vocabularies, document types), for estimates.</summary>
    public string FixedPromptText => fieldList + "\n" + documentTypeList;

    /// <summary>The prompt in use (name@version), recorded with every extracted record.</summary>
    public string PromptId => prompt.Id;

    public async Task<MetaInfoExtractionResult> ExtractAsync(IReadOnlyList<UserQuery> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return MetaInfoExtractionResult.Empty;
        }

        var outcomes = new Outcome[batch.Count];
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism),
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), parallel, async (index, ct) =>
            outcomes[index] = await ExtractOneAsync(batch[index], ct));

        var result = new MetaInfoExtractionResult(
            [.. outcomes.Where(o => o.Extracted is not null).Select(o => o.Extracted!)],
            [.. outcomes.Where(o => o.Filtered is not null).Select(o => o.Filtered!)],
            [.. outcomes.Where(o => o.Quarantined is not null).Select(o => o.Quarantined!)]);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation(
                "Meta-information extraction: {Count} queries, {Extracted} extracted, {Filtered} filtered, {Quarantined} quarantined",
                batch.Count, result.Extracted.Count, result.Filtered.Count, result.Quarantined.Count);
        }

        return result;
    }

    private async Task<Outcome> ExtractOneAsync(UserQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
        {
            return Outcome.Quarantine(QuarantineEntry.ForItem(StageNames.MetaInfoExtraction, "(null)", "the batch contains a null query"));
        }

        var id = string.IsNullOrWhiteSpace(query.Id) ? "(no id)" : query.Id;
        if (string.IsNullOrWhiteSpace(query.Id))
        {
            return Outcome.Quarantine(QuarantineEntry.ForItem(StageNames.MetaInfoExtraction, id, "the query has no id", query.Origin));
        }

        if (string.IsNullOrWhiteSpace(query.Text))
        {
            return Outcome.Quarantine(QuarantineEntry.ForItem(StageNames.MetaInfoExtraction, id, "the query text is empty", query.Origin));
        }

        if (options.UsePreFilter)
        {
            var decision = preFilter.Evaluate(query);
            if (!decision.Keep)
            {
                return Outcome.Filter(new FilteredQuery(id, FilteredQuery.ByPreFilter, decision.Reason));
            }
        }

        var (excerpt, wasCut) = QueryExcerpt.Cut(query.Text.Trim(), options.MaxQueryTokens, options.HeadTokens, options.TailTokens);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["fields"] = fieldList,
            ["document_types"] = documentTypeList,
            ["query"] = excerpt,
        };
        List<ChatMessage> messages =
        [
            new(ChatRole.System, prompt.RenderSystem(values)),
            new(ChatRole.User, prompt.RenderUser(values)),
        ];
        var seed = unchecked((long)StableHash.Mix((ulong)options.Seed, StableHash.Hash64(id)));
        var answer = await llm.CompleteJsonAsync(StageNames.MetaInfoExtraction, messages, responseSchema, SchemaName, options.MaxOutputTokens, seed, CheckFields, cancellationToken);
        if (!answer.Success)
        {
            return Outcome.Quarantine(QuarantineEntry.ForItem(StageNames.MetaInfoExtraction, id, answer.FailureReason ?? "the model call failed", Shorten(answer.RawOutput)));
        }

        var root = answer.Value;
        if (!root.GetProperty(StrictSchemaBuilder.VerdictProperty).GetBoolean())
        {
            return Outcome.Filter(new FilteredQuery(id, FilteredQuery.ByModel, "the model judged that the query brings or refers to no document"));
        }

        return Outcome.Extract(ReadRecord(id, root, wasCut, answer.Attempts));
    }

    /// <summary>Field-level checks beyond the schema; the message goes back to the model on retry.</summary>
    private string? CheckFields(JsonElement root)
    {
        if (root.TryGetProperty(StrictSchemaBuilder.VerdictProperty, out var verdict) && verdict.ValueKind == JsonValueKind.False)
        {
            return null;
        }

        var problems = new List<string>();
        foreach (var field in schema.Fields)
        {
            if (!root.TryGetProperty(field.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (field.Required)
                {
                    problems.Add($"field '{field.Name}' must not be null");
                }

                continue;
            }

            if (field.Name == schema.DocumentTypeField)
            {
                if (value.ValueKind != JsonValueKind.String || !documentTypes.Contains(value.GetString()!))
                {
                    problems.Add($"field '{field.Name}' must be one of the listed document types");
                }

                continue;
            }

            if (field.HasVocabulary)
            {
                CheckVocabularyAnswer(field, value, problems);
                continue;
            }

            switch (field.Kind)
            {
                case MetaInfoFieldKind.String:
                    CheckText(field.Name, value, problems);
                    break;
                case MetaInfoFieldKind.Enum:
                    if (value.ValueKind != JsonValueKind.String || !field.Values!.Contains(value.GetString()!, StringComparer.Ordinal))
                    {
                        problems.Add($"field '{field.Name}' must be one of: {string.Join(", ", field.Values!)}");
                    }

                    break;
                case MetaInfoFieldKind.StringList when value.ValueKind == JsonValueKind.Array:
                    // Items past max_items are cut when the record is read (ReadRecord), not sent back: a longer list
                    // is still a good answer, and retrying it risks losing the whole record. Only kept items are checked.
                    var index = 0;
                    foreach (var item in value.EnumerateArray().Take(field.EffectiveMaxItems))
                    {
                        CheckText($"{field.Name}[{index++}]", item, problems);
                    }

                    break;
            }
        }

        return problems.Count == 0 ? null : string.Join("; ", problems.Take(6));
    }

    private void CheckVocabularyAnswer(MetaInfoField field, JsonElement value, List<string> problems)
    {
        // As for plain lists, items past max_items are cut when the record is read, not checked or sent back.
        IEnumerable<JsonElement> answers = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Take(field.EffectiveMaxItems) : [value];
        var count = 0;
        foreach (var answer in answers)
        {
            var name = field.Kind == MetaInfoFieldKind.StringList ? $"{field.Name}[{count}]" : field.Name;
            count++;
            if (answer.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (answer.TryGetProperty(StrictSchemaBuilder.ValueProperty, out var canonical))
            {
                CheckText(name + "." + StrictSchemaBuilder.ValueProperty, canonical, problems);
            }

            if (answer.TryGetProperty(StrictSchemaBuilder.DetailProperty, out var detail))
            {
                CheckText(name + "." + StrictSchemaBuilder.DetailProperty, detail, problems);
            }
        }

    }

    private void CheckText(string name, JsonElement value, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return;
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add($"field '{name}' is an empty string (use null, or leave the item out, when the request does not say)");
        }
        else if (text.Length > options.MaxValueChars)
        {
            problems.Add($"field '{name}' is {text.Length} characters long; use a short phrase of at most {options.MaxValueChars} characters");
        }
    }

    private ExtractedMetaInfo ReadRecord(string id, JsonElement root, bool wasCut, int attempts)
    {
        string? rawDocumentType = null;
        var fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var details = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var field in schema.Fields)
        {
            if (!root.TryGetProperty(field.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (field.Name == schema.DocumentTypeField)
            {
                rawDocumentType = value.GetString();
                continue;
            }

            if (field.HasVocabulary)
            {
                var (canonicals, phrases) = ReadVocabularyAnswers(value, field.EffectiveMaxItems);
                if (canonicals.Count > 0)
                {
                    fields[field.Name] = canonicals;
                    details[field.Name] = phrases;
                }

                continue;
            }

            string[] read = value.ValueKind switch
            {
                JsonValueKind.String => [value.GetString()!.Trim()],
                JsonValueKind.True => ["true"],
                JsonValueKind.False => ["false"],
                JsonValueKind.Array => [.. value.EnumerateArray().Take(field.EffectiveMaxItems).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!.Trim())],
                _ => [],
            };
            if (read.Length > 0)
            {
                fields[field.Name] = read;
            }
        }

        return new ExtractedMetaInfo(id, taxonomy.Resolve(rawDocumentType), rawDocumentType, fields, prompt.Id, schema.Fingerprint, wasCut, attempts)
        {
            Details = details.Count > 0 ? details : null,
        };
    }

    /// <summary>The canonical values of a vocabulary answer and, index for index, their details ("" when none).</summary>
    private static (List<string> Values, List<string> Details) ReadVocabularyAnswers(JsonElement value, int maxItems)
    {
        var values = new List<string>();
        var details = new List<string>();
        IEnumerable<JsonElement> answers = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Take(maxItems) : [value];
        foreach (var answer in answers)
        {
            if (answer.ValueKind == JsonValueKind.String)
            {
                // A bare string (a lenient client or an older cached answer): the value without detail.
                values.Add(answer.GetString()!.Trim());
                details.Add(string.Empty);
                continue;
            }

            if (answer.ValueKind != JsonValueKind.Object
                || !answer.TryGetProperty(StrictSchemaBuilder.ValueProperty, out var canonical)
                || canonical.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(canonical.GetString()))
            {
                continue;
            }

            values.Add(canonical.GetString()!.Trim());
            details.Add(answer.TryGetProperty(StrictSchemaBuilder.DetailProperty, out var detail) && detail.ValueKind == JsonValueKind.String
                ? detail.GetString()!.Trim()
                : string.Empty);
        }

        return (values, details);
    }

    private static string DescribeFields(MetaInfoSchema schema)
    {
        var builder = new StringBuilder();
        foreach (var field in schema.Fields)
        {
            var shape = field.Kind switch
            {
                _ when field.Name == schema.DocumentTypeField => "one of the document types below",
                MetaInfoFieldKind.StringList => $"list of at most {field.EffectiveMaxItems} short phrases",
                MetaInfoFieldKind.Boolean => "true or false",
                MetaInfoFieldKind.Enum => "one of: " + string.Join(", ", field.Values!),
                _ => "short phrase",
            };
            if (field.HasVocabulary)
            {
                shape = (field.Kind == MetaInfoFieldKind.StringList ? $"list of at most {field.EffectiveMaxItems} " : "one ") + "{value, detail}";
            }

            // Evidence marks only when the schema distinguishes explicit-only fields at all.
            var evidence = field.Name == schema.DocumentTypeField || field.Kind == MetaInfoFieldKind.Boolean || !schema.Fields.Any(f => f.ExplicitOnly)
                ? string.Empty
                : field.ExplicitOnly ? " [explicit only: null unless the request states it]" : " [may be inferred]";
            builder.Append(CultureInfo.InvariantCulture, $"- {field.Name} ({shape}){evidence}: {field.Description}\n");
            if (field.HasVocabulary)
            {
                builder.Append("  vocabulary: ").Append(string.Join(" | ", field.Vocabulary!)).Append('\n');
            }
        }

        return builder.ToString().TrimEnd();
    }

    private static string? Shorten(string? raw) => raw is null || raw.Length <= 500 ? raw : raw[..500] + "…";

    private readonly record struct Outcome(ExtractedMetaInfo? Extracted, FilteredQuery? Filtered, QuarantineEntry? Quarantined)
    {
        public static Outcome Extract(ExtractedMetaInfo value) => new(value, null, null);

        public static Outcome Filter(FilteredQuery value) => new(null, value, null);

        public static Outcome Quarantine(QuarantineEntry value) => new(null, null, value);
    }
}
