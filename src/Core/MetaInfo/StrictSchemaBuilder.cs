using System.Text.Json;
using System.Text.Json.Nodes;
using WildLong.Core.Documents;

namespace WildLong.Core.MetaInfo;

/// <summary>
/// Turns the configured meta-information schema and the document taxonomy into the JSON schema sent to the model.
/// It follows the strict structured-output rules of Azure OpenAI (checked by
/// <see cref="Model.StrictSchemaRules"/>): every property required, optional ones nullable, closed objects, and no
/// unsupported keywords; limits such as list sizes are therefore enforced after the call, not in the schema.
/// A field with a vocabulary is answered as <c>{"value", "detail"}</c> objects: <c>value</c> is an <c>anyOf</c> of the
/// vocabulary as an enum and a free string (for <c>other: &lt;short phrase&gt;</c>), so the vocabulary is both shown
/// to the model and machine-readable, while an unforeseen value stays possible; <c>detail</c> holds the user's words.
/// </summary>
public static class StrictSchemaBuilder
{
    /// <summary>The verdict property: does the query bring or refer to a document or long text?</summary>
    public const string VerdictProperty = "refers_to_document";

    /// <summary>The property of a vocabulary answer that holds the canonical value.</summary>
    public const string ValueProperty = "value";

    /// <summary>The property of a vocabulary answer that holds the user's own words.</summary>
    public const string DetailProperty = "detail";

    /// <summary>Builds the schema: an object with the verdict first, then every field in schema order.</summary>
    public static JsonElement Build(MetaInfoSchema schema, DocumentTaxonomy taxonomy)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(taxonomy);
        var properties = new JsonObject
        {
            [VerdictProperty] = new JsonObject
            {
                ["type"] = "boolean",
                ["description"] = "true when the request contains, quotes or refers to a document or long text to work on; false otherwise.",
            },
        };
        var required = new JsonArray(VerdictProperty);
        foreach (var field in schema.Fields)
        {
            properties[field.Name] = field.Name == schema.DocumentTypeField
                ? EnumProperty(field, taxonomy.Names)
                : FieldProperty(field);
            required.Add(field.Name);
        }

        var root = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = required,
            ["additionalProperties"] = false,
        };
        return JsonSerializer.SerializeToElement(root);
    }

    private static JsonObject FieldProperty(MetaInfoField field) => field.HasVocabulary ? VocabularyProperty(field) : field.Kind switch
    {
        MetaInfoFieldKind.String => new JsonObject
        {
            ["type"] = Type("string", field.Required),
            ["description"] = field.Description,
        },
        MetaInfoFieldKind.Boolean => new JsonObject
        {
            ["type"] = Type("boolean", field.Required),
            ["description"] = field.Description,
        },
        MetaInfoFieldKind.StringList => new JsonObject
        {
            ["type"] = Type("array", field.Required),
            ["description"] = $"{field.Description} At most {field.EffectiveMaxItems} items.",
            ["items"] = new JsonObject { ["type"] = "string" },
        },
        MetaInfoFieldKind.Enum => EnumProperty(field, field.Values!),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field.Kind, "unknown field kind"),
    };

    private static JsonObject VocabularyProperty(MetaInfoField field)
    {
        if (field.Kind == MetaInfoFieldKind.StringList)
        {
            return new JsonObject
            {
                ["type"] = Type("array", field.Required),
                ["description"] = $"{field.Description} At most {field.EffectiveMaxItems} items.",
                ["items"] = VocabularyAnswer(field, null),
            };
        }

        var answer = VocabularyAnswer(field, field.Description);
        return field.Required ? answer : new JsonObject { ["anyOf"] = new JsonArray(answer, new JsonObject { ["type"] = "null" }) };
    }

    private static JsonObject VocabularyAnswer(MetaInfoField field, string? description)
    {
        var entries = new JsonArray();
        foreach (var entry in field.Vocabulary!)
        {
            entries.Add(entry);
        }

        var answer = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                [ValueProperty] = new JsonObject
                {
                    ["description"] = "The canonical value: one vocabulary entry, or 'other: <short phrase>' when none fits.",
                    ["anyOf"] = new JsonArray(
                        new JsonObject { ["type"] = "string", ["enum"] = entries },
                        new JsonObject { ["type"] = "string", ["description"] = "'other: <short phrase>' for a value outside the vocabulary." }),
                },
                [DetailProperty] = new JsonObject
                {
                    ["type"] = new JsonArray("string", "null"),
                    ["description"] = "The specific thing the user asked for, in a few of the user's own words (translated to English); null if nothing beyond the canonical value.",
                },
            },
            ["required"] = new JsonArray(ValueProperty, DetailProperty),
            ["additionalProperties"] = false,
        };
        if (description is not null)
        {
            answer["description"] = description;
        }

        return answer;
    }

    private static JsonObject EnumProperty(MetaInfoField field, IReadOnlyList<string> values)
    {
        var allowed = new JsonArray();
        foreach (var value in values)
        {
            allowed.Add(value);
        }

        if (!field.Required)
        {
            // A nullable enum must list null among its values as well as in its type.
            allowed.Add(null);
        }

        return new JsonObject
        {
            ["type"] = Type("string", field.Required),
            ["description"] = field.Description,
            ["enum"] = allowed,
        };
    }

    private static JsonNode Type(string type, bool required) => required ? JsonValue.Create(type) : new JsonArray(type, "null");
}
