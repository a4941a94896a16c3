using System.Text.Json;
using System.Text.Json.Nodes;
using WildLong.Core.Documents;

namespace WildLong.Core.MetaInfo;

/// <summary>
/// Turns the configured meta-information schema and the document taxonomy into the JSON schema sent to the model.
/// It follows the strict structured-output rules of Azure OpenAI (checked by
/// <see cref="Llm.StrictSchemaRules"/>): every property required, optional ones nullable, closed objects, and no
/// unsupported keywords; limits such as list sizes are therefore enforced after the call, not in the schema.
/// </summary>
public static class StrictSchemaBuilder
{
    /// <summary>The verdict property: does the query bring or refer to a document or long text?</summary>
    public const string VerdictProperty = "refers_to_document";

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

    private static JsonObject FieldProperty(MetaInfoField field) => field.Kind switch
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
