using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WildLong.Core.Common;

namespace WildLong.Simulator.Generation;

/// <summary>
/// Builds a JSON instance that satisfies a strict structured-output schema, the way a well-behaved model would:
/// every property present, enums from their lists, nullable fields mostly filled, and strings taken from the
/// request's own text (sentences for prose-like fields, noun phrases for the rest). Deterministic for a given
/// schema, text and random stream.
/// </summary>
internal sealed class StructuredOutputGenerator
{
    private const int MaxDepth = 12;

    private static readonly string[] ProseHints =
    [
        "sentence", "summary", "description", "instruction", "question", "answer", "text", "quote", "reason",
        "rationale", "explanation", "content", "evidence", "context", "query", "prompt", "response", "task",
        "justification", "comment", "message", "request", "feedback", "analysis", "detail", "note",
    ];

    private readonly JsonElement root;
    private readonly SourceText source;
    private readonly ulong textHash;
    private readonly DeterministicRandom random;
    private readonly HashSet<string> used = new(StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyList<string> requiredPhrases;
    private readonly IReadOnlyList<string> contentPhrases;
    private readonly string? taskText;
    private readonly ulong vocabularySeed;
    private VocabularyAnswerer? vocabularyAnswerer;

    // Documents the request supplies (Document 1 … n); citations quote them. Cut into sentences only when asked.
    private readonly Lazy<SourceText>[] documents;
    private readonly List<(int Document, string Quote)> citations = [];
    private readonly IReadOnlyList<string> documentLabels;
    private bool? fits;

    // instructions: the request's system text; a model writes about the task's content, not its instructions.
    // taskText and vocabularySeed: open-vocabulary fields are answered by meaning (see VocabularyAnswerer).
    public StructuredOutputGenerator(JsonElement root, SourceText source, ulong textHash, DeterministicRandom random, IReadOnlyList<string>? requiredPhrases = null, SourceText? instructions = null, IReadOnlyList<string>? documents = null, string? taskText = null, ulong vocabularySeed = 0)
    {
        this.taskText = taskText;
        this.vocabularySeed = vocabularySeed;
        this.root = root;
        this.source = source;
        this.textHash = textHash;
        this.random = random;
        this.requiredPhrases = requiredPhrases ?? [];
        contentPhrases = source.PhrasesNotIn(instructions);
        this.documents = [.. (documents ?? []).Select(d => new Lazy<SourceText>(() => SourceText.From(d)))];
        documentLabels = DocumentLabels(this.requiredPhrases);
    }

    /// <summary>Share of <c>fits</c> verdicts that say the instruction fits its document (a real adapter rarely refuses).</summary>
    public const double FitsRate = 0.95;

    /// <summary>Share of <c>intent_preserved</c> verdicts that say the adaptation kept the intent.</summary>
    public const double IntentPreservedRate = 0.95;

    /// <summary>Share of prose answers that mention a phrase the system prompt quotes, as an instruction-following model would.</summary>
    public const double QuotedPhraseCompliance = 0.9;

    public JsonNode? Generate() => Node(root, "$", string.Empty, 0);

    private JsonNode? Node(JsonElement schema, string path, string name, int depth)
    {
        schema = Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object || depth > MaxDepth)
        {
            return null;
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            return JsonNode.Parse(constant.GetRawText());
        }

        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array && allowed.GetArrayLength() > 0)
        {
            var options = allowed.EnumerateArray().Where(o => o.ValueKind != JsonValueKind.Null).ToList();
            if (options.Count == 0)
            {
                return null;
            }

            // Deterministic from the request text and the field, as the brief asks: the same text picks the same value.
            var index = (int)(StableHash.Mix(textHash, StableHash.Hash64(path)) % (ulong)options.Count);
            return JsonNode.Parse(options[index].GetRawText());
        }

        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(keyword, out var alternatives) && alternatives.ValueKind == JsonValueKind.Array)
            {
                var all = alternatives.EnumerateArray().ToList();
                var nonNull = all.Where(a => !IsNullSchema(Resolve(a))).ToList();
                if (nonNull.Count == 0 || (nonNull.Count < all.Count && random.NextDouble() < 0.1))
                {
                    return null;
                }

                return Node(nonNull[0], path, name, depth + 1);
            }
        }

        if (schema.TryGetProperty("allOf", out var allOf) && allOf.ValueKind == JsonValueKind.Array && allOf.GetArrayLength() > 0)
        {
            return Node(allOf[0], path, name, depth + 1);
        }

        var type = PickType(schema);
        return type switch
        {
            "null" => null,
            "object" => Object(schema, path, depth),
            "array" => Array(schema, path, name, depth),
            "string" => JsonValue.Create(String(schema, name)),
            "integer" => JsonValue.Create(Integer(schema, name)),
            "number" => JsonValue.Create(Number(schema)),
            "boolean" => JsonValue.Create(Boolean(name)),
            _ => JsonValue.Create(String(schema, name)),
        };
    }

    private string PickType(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : schema.TryGetProperty("items", out _) ? "array" : "string";
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString() ?? "string";
        }

        var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString() ?? "string").ToList() : [];
        var nonNull = types.Where(t => t != "null").ToList();
        if (nonNull.Count == 0)
        {
            return types.Count > 0 ? "null" : "string";
        }

        return nonNull.Count < types.Count && random.NextDouble() < 0.1 ? "null" : nonNull[0];
    }

    private JsonObject Object(JsonElement schema, string path, int depth)
    {
        var result = new JsonObject();
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            var citation = documents.Length > 0 && properties.TryGetProperty("quote", out _) ? Cite() : default;
            foreach (var property in properties.EnumerateObject())
            {
                var propertyPath = path + "." + property.Name;
                result[property.Name] = taskText is not null && TryVocabularyField(property.Value, out var field)
                    ? Vocabulary(propertyPath, property.Name, field)
                    : citation.Quote is null
                    ? Node(property.Value, propertyPath, property.Name, depth + 1)
                    : property.Name switch
                    {
                        "quote" => JsonValue.Create(citation.Quote),
                        "document" => JsonValue.Create(citation.Document),
                        "section" => AllowsNull(property.Value) ? null : JsonValue.Create(string.Empty),
                        _ => Node(property.Value, propertyPath, property.Name, depth + 1),
                    };
            }
        }

        return result;
    }

    /// <summary>
    /// A citation: a verbatim sentence of one supplied document, documents taken in turn so a multi-document answer
    /// cites each; remembered so the answer can point at it with <c>[n]</c>.
    /// </summary>
    private (int Document, string? Quote) Cite()
    {
        for (var offset = 0; offset < documents.Length; offset++)
        {
            var index = (citations.Count + offset) % documents.Length;
            var quote = Draw(documents[index].Value.Sentences);
            if (quote is not null)
            {
                citations.Add((index + 1, quote));
                return (index + 1, quote);
            }
        }

        return default;
    }

    /// <summary>
    /// <c>fits</c> and <c>intent_preserved</c> are true at their own (high) rates, as a real model's verdicts on
    /// well-typed pairs are; any other boolean is true 85 % of the time.
    /// </summary>
    private bool Boolean(string name)
    {
        switch (name)
        {
            case "fits":
                fits = random.NextDouble() < FitsRate;
                return fits.Value;
            case "intent_preserved":
                return random.NextDouble() < IntentPreservedRate;
            default:
                return random.NextDouble() < 0.85;
        }
    }

    /// <summary>
    /// An answer that relies on the citations given before it: a lead, one line per citation with its <c>[n]</c>
    /// marker (naming the document when there are several), and a closing line on the request's topics.
    /// </summary>
    private string GroundedAnswer()
    {
        var multi = documents.Length > 1;
        var answer = new System.Text.StringBuilder(multi ? "Based on these documents:\n\n" : "Based on the document:\n\n");
        for (var i = 0; i < citations.Count; i++)
        {
            var (document, quote) = citations[i];
            var words = quote.Split(' ');
            var gist = words.Length <= 14 ? quote.TrimEnd('.') : string.Join(' ', words[..14]) + " …";
            answer.Append("- ");
            if (multi)
            {
                answer.Append(CultureInfo.InvariantCulture, $"Document {document} states that ");
            }

            answer.Append(gist).Append(CultureInfo.InvariantCulture, $" [{i + 1}]\n");
        }

        var topics = source.Phrases.Count > 0 ? string.Join(", ", Enumerable.Range(0, Math.Min(2, source.Phrases.Count)).Select(_ => Phrase()).Distinct()) : "the request";
        return answer.Append("\nIn short, this speaks to ").Append(topics).Append('.').ToString();
    }

    /// <summary>"Document 1" … "Document n" when the system text quotes that whole run of labels (n ≥ 2), else empty.</summary>
    private static List<string> DocumentLabels(IReadOnlyList<string> quoted)
    {
        var labels = new List<string>();
        for (var i = 1; quoted.Contains(string.Create(CultureInfo.InvariantCulture, $"Document {i}")); i++)
        {
            labels.Add(string.Create(CultureInfo.InvariantCulture, $"Document {i}"));
        }

        return labels.Count >= 2 ? labels : [];
    }

    private static bool AllowsNull(JsonElement schema)
        => schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array
            && type.EnumerateArray().Any(t => t.GetString() == "null");

    private JsonNode? Vocabulary(string path, string name, VocabularyField field)
    {
        vocabularyAnswerer ??= new VocabularyAnswerer(taskText!, vocabularySeed);
        return field.IsList
            ? vocabularyAnswerer.AnswerList(path, name, field.Description, field.Entries, field.ValueProperty, field.DetailProperty, field.Nullable)
            : vocabularyAnswerer.Answer(path, name, field.Description, field.Entries, field.ValueProperty, field.DetailProperty, field.Nullable);
    }

    /// <summary>
    /// Recognizes an open-vocabulary field: an object (or a list of objects, possibly nullable) of exactly two
    /// string properties, one an <c>anyOf</c> of a string enum (the vocabulary) and a free string, the other the detail.
    /// </summary>
    private bool TryVocabularyField(JsonElement schema, out VocabularyField field)
    {
        field = default;
        schema = Resolve(schema);
        var nullable = false;
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("anyOf", out var alternatives) && alternatives.ValueKind == JsonValueKind.Array)
        {
            var all = alternatives.EnumerateArray().Select(Resolve).ToList();
            var nonNull = all.Where(a => !IsNullSchema(a)).ToList();
            if (nonNull.Count != 1)
            {
                return false;
            }

            nullable = nonNull.Count < all.Count;
            schema = nonNull[0];
        }

        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
        {
            return false;
        }

        var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).ToList() : [type.GetString()];
        nullable |= types.Contains("null");
        var description = schema.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (types.Contains("array") && schema.TryGetProperty("items", out var items) && IsVocabularyObject(Resolve(items), out var itemField))
        {
            field = itemField with { IsList = true, Nullable = nullable, Description = description ?? itemField.Description };
            return true;
        }

        if (types.Contains("object") && IsVocabularyObject(schema, out var objectField))
        {
            field = objectField with { Nullable = nullable, Description = description ?? objectField.Description };
            return true;
        }

        return false;
    }

    private bool IsVocabularyObject(JsonElement schema, out VocabularyField field)
    {
        field = default;
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var list = properties.EnumerateObject().ToList();
        if (list.Count != 2)
        {
            return false;
        }

        for (var v = 0; v < 2; v++)
        {
            var value = Resolve(list[v].Value);
            if (!value.TryGetProperty("anyOf", out var branches) || branches.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var enumBranch = branches.EnumerateArray().Select(Resolve).FirstOrDefault(b => b.ValueKind == JsonValueKind.Object && b.TryGetProperty("enum", out _));
            var freeBranch = branches.EnumerateArray().Select(Resolve).Any(b => b.ValueKind == JsonValueKind.Object && !b.TryGetProperty("enum", out _)
                && b.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "string");
            if (enumBranch.ValueKind != JsonValueKind.Object || !freeBranch)
            {
                continue;
            }

            var entries = enumBranch.GetProperty("enum").EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
            if (entries.Count == 0)
            {
                return false;
            }

            var description = schema.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            field = new VocabularyField(list[v].Name, list[1 - v].Name, entries, false, false, description);
            return true;
        }

        return false;
    }

    private JsonArray Array(JsonElement schema, string path, string name, int depth)
    {
        var min = schema.TryGetProperty("minItems", out var minItems) && minItems.TryGetInt32(out var mi) ? Math.Max(0, mi) : 1;
        var max = schema.TryGetProperty("maxItems", out var maxItems) && maxItems.TryGetInt32(out var ma) ? Math.Max(min, ma) : Math.Max(min, 4);
        var count = random.NextInt(min, Math.Min(max, min + 4));
        var result = new JsonArray();
        var itemSchema = schema.TryGetProperty("items", out var items) ? items : default;
        if (documents.Length > 1 && itemSchema.ValueKind == JsonValueKind.Object && Resolve(itemSchema).TryGetProperty("properties", out var itemProperties)
            && itemProperties.ValueKind == JsonValueKind.Object && itemProperties.TryGetProperty("quote", out _))
        {
            // Citations: at least one per supplied document, as a multi-document answer cites each document it uses.
            count = Math.Max(count, Math.Min(documents.Length, max));
        }

        for (var i = 0; i < count; i++)
        {
            result.Add(itemSchema.ValueKind == JsonValueKind.Object
                ? Node(itemSchema, $"{path}[{i}]", Singular(name), depth + 1)
                : JsonValue.Create(Phrase()));
        }

        return result;
    }

    private string String(JsonElement schema, string name)
    {
        if (schema.TryGetProperty("format", out var format))
        {
            switch (format.GetString())
            {
                case "date-time":
                    return "2024-01-15T09:30:00Z";
                case "date":
                    return "2024-01-15";
                case "uri" or "url":
                    return "https://example.org/" + Uri.EscapeDataString(Phrase().Replace(' ', '-').ToLowerInvariant());
                case "email":
                    return "someone@example.org";
            }
        }

        var lower = name.ToLowerInvariant();
        if (lower == "answer" && citations.Count > 0)
        {
            return GroundedAnswer();
        }

        if (lower == "instruction" && fits == false)
        {
            // Told to leave the instruction empty when it does not fit.
            return string.Empty;
        }

        var value = ProseHints.Any(lower.Contains) ? Sentence(lower == "instruction" ? documentLabels : []) : Phrase();
        if (schema.TryGetProperty("maxLength", out var maxLength) && maxLength.TryGetInt32(out var limit) && value.Length > limit)
        {
            value = value[..Math.Max(0, limit)].TrimEnd();
        }

        if (schema.TryGetProperty("minLength", out var minLength) && minLength.TryGetInt32(out var floor) && value.Length < floor)
        {
            value = value.PadRight(floor, '.');
        }

        return value;
    }

    private long Integer(JsonElement schema, string name)
    {
        var lower = name.ToLowerInvariant();
        var (defaultMin, defaultMax) = lower.Contains("year", StringComparison.Ordinal) ? (1990L, 2024L) : (1L, 5L);
        var min = schema.TryGetProperty("minimum", out var minimum) && minimum.TryGetInt64(out var mn) ? mn : defaultMin;
        if (schema.TryGetProperty("exclusiveMinimum", out var exclusiveMin) && exclusiveMin.TryGetInt64(out var emn))
        {
            min = Math.Max(min, emn + 1);
        }

        var max = schema.TryGetProperty("maximum", out var maximum) && maximum.TryGetInt64(out var mx) ? mx : Math.Max(min, defaultMax);
        if (schema.TryGetProperty("exclusiveMaximum", out var exclusiveMax) && exclusiveMax.TryGetInt64(out var emx))
        {
            max = Math.Min(max, emx - 1);
        }

        if (max < min)
        {
            return min;
        }

        if (max > min && (lower.Contains("score", StringComparison.Ordinal) || lower.Contains("rating", StringComparison.Ordinal)))
        {
            // Model graders are lenient: most of their scores sit at the top of the scale.
            var draw = random.NextDouble();
            return draw < 0.45 ? max : draw < 0.80 ? max - 1 : min + (long)(random.NextUInt64() % (ulong)(max - min));
        }

        var span = (ulong)(max - min) + 1;
        return min + (long)(random.NextUInt64() % (span == 0 ? ulong.MaxValue : span));
    }

    private double Number(JsonElement schema)
    {
        var min = schema.TryGetProperty("minimum", out var minimum) && minimum.TryGetDouble(out var mn) ? mn : 0;
        var max = schema.TryGetProperty("maximum", out var maximum) && maximum.TryGetDouble(out var mx) ? mx : Math.Max(min, 1);
        var value = Math.Round(min + (random.NextDouble() * (max - min)), 2);
        return Math.Clamp(value, min, max);
    }

    /// <summary>
    /// Prose: a sentence of the task text, or, when the task text is a list of attributes or has few sentences, a
    /// sentence woven from three to five of its phrases — those the system text does not use, as a model writes
    /// about the task's content rather than its instructions — so different tasks get different answers. Usually
    /// mentions a phrase the system prompt asks for in quotes.
    /// </summary>
    private string Sentence(IReadOnlyList<string> labels)
    {
        var sentence = (source.Sentences.Count >= 3 && !source.IsAttributeList) || contentPhrases.Count < 2
            ? Draw(source.Sentences) ?? Draw(source.Phrases) ?? Fallback()
            : string.Join(", ", Enumerable.Range(0, Math.Min(random.NextInt(3, 5), contentPhrases.Count)).Select(_ => Draw(contentPhrases)));
        if (labels.Count > 0 && random.NextDouble() < QuotedPhraseCompliance)
        {
            // Told to name every document: an obedient model names them all.
            return $"{sentence.TrimEnd('.', ' ')}, across {string.Join(", ", labels.Take(labels.Count - 1))} and {labels[^1]}.";
        }

        if (requiredPhrases.Count > 0 && random.NextDouble() < QuotedPhraseCompliance)
        {
            var phrase = requiredPhrases[random.NextInt(requiredPhrases.Count)];
            if (!sentence.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                sentence = $"{sentence.TrimEnd('.', ' ')}, about {phrase}.";
            }
        }

        return sentence;
    }

    private string Phrase() => Draw(source.Phrases) ?? Fallback();

    private string Fallback() => "simulated value " + random.NextInt(1, 1000).ToString(CultureInfo.InvariantCulture);

    /// <summary>A random entry not used yet in this answer (so lists hold distinct values); any entry when all are used.</summary>
    private string? Draw(IReadOnlyList<string> pool)
    {
        if (pool.Count == 0)
        {
            return null;
        }

        for (var attempt = 0; attempt < 8; attempt++)
        {
            var candidate = pool[random.NextInt(pool.Count)];
            if (used.Add(candidate))
            {
                return candidate;
            }
        }

        return pool[random.NextInt(pool.Count)];
    }

    private JsonElement Resolve(JsonElement schema)
    {
        for (var hops = 0; hops < 16 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); hops++)
        {
            var target = root;
            var pointer = reference.GetString() ?? string.Empty;
            if (!pointer.StartsWith('#'))
            {
                return schema;
            }

            foreach (var segment in pointer.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var key = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (target.ValueKind != JsonValueKind.Object || !target.TryGetProperty(key, out target))
                {
                    return schema;
                }
            }

            schema = target;
        }

        return schema;
    }

    private static bool IsNullSchema(JsonElement schema)
        => schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var type)
            && type.ValueKind == JsonValueKind.String && type.GetString() == "null";

    private readonly record struct VocabularyField(string ValueProperty, string DetailProperty, IReadOnlyList<string> Entries, bool IsList, bool Nullable, string? Description);

    private static string Singular(string name) => name.EndsWith('s') && name.Length > 3 ? name[..^1] : name;
}
