using System.Text.Json;

namespace WildLong.Core.Model;

/// <summary>
/// Checks a JSON schema against the rules of strict structured outputs (Azure OpenAI / OpenAI): the endpoint
/// rejects a schema that breaks them with a 400 on every call, so a schema built from configuration is checked up
/// front, before a run spends anything. Generic: works on any schema, not only the meta-information one.
/// </summary>
public static class StrictSchemaRules
{
    /// <summary>Most levels of object nesting allowed (the root object is level 1).</summary>
    public const int MaxNestingLevels = 5;

    /// <summary>Most object properties allowed in the whole schema.</summary>
    public const int MaxTotalProperties = 100;

    /// <summary>Most enum values allowed in the whole schema.</summary>
    public const int MaxTotalEnumValues = 500;

    private static readonly HashSet<string> SupportedTypes = new(StringComparer.Ordinal)
    {
        "string", "number", "integer", "boolean", "object", "array", "null",
    };

    /// <summary>Keywords strict mode does not accept (type-specific constraints and unsupported composition).</summary>
    private static readonly HashSet<string> UnsupportedKeywords = new(StringComparer.Ordinal)
    {
        "minLength", "maxLength", "pattern", "format",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "patternProperties", "unevaluatedProperties", "propertyNames", "minProperties", "maxProperties",
        "dependentRequired", "dependentSchemas",
        "unevaluatedItems", "contains", "minContains", "maxContains", "minItems", "maxItems", "uniqueItems",
        "prefixItems", "allOf", "oneOf", "not", "if", "then", "else",
    };

    /// <summary>Returns each violation with its JSON path; empty when the schema is acceptable.</summary>
    public static IReadOnlyList<string> Check(JsonElement schema)
    {
        var state = new CheckState();
        if (schema.ValueKind != JsonValueKind.Object)
        {
            state.Errors.Add("$: the schema must be a JSON object");
            return state.Errors;
        }

        if (schema.TryGetProperty("anyOf", out _))
        {
            state.Errors.Add("$: the root schema must not be an anyOf");
        }

        if (!schema.TryGetProperty("type", out var rootType) || rootType.ValueKind != JsonValueKind.String || rootType.GetString() != "object")
        {
            state.Errors.Add("$: the root schema must have \"type\": \"object\"");
        }

        CheckNode(schema, "$", 0, state);
        if (schema.TryGetProperty("$defs", out var definitions) && definitions.ValueKind == JsonValueKind.Object)
        {
            foreach (var definition in definitions.EnumerateObject())
            {
                CheckNode(definition.Value, $"$.$defs.{definition.Name}", 0, state);
            }
        }

        if (state.TotalProperties > MaxTotalProperties)
        {
            state.Errors.Add($"$: {state.TotalProperties} object properties in total; at most {MaxTotalProperties} are allowed");
        }

        if (state.TotalEnumValues > MaxTotalEnumValues)
        {
            state.Errors.Add($"$: {state.TotalEnumValues} enum values in total; at most {MaxTotalEnumValues} are allowed");
        }

        return state.Errors;
    }

    private static void CheckNode(JsonElement node, string path, int objectDepth, CheckState state)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            state.Errors.Add($"{path}: a schema must be a JSON object");
            return;
        }

        foreach (var property in node.EnumerateObject())
        {
            if (UnsupportedKeywords.Contains(property.Name))
            {
                state.Errors.Add($"{path}: keyword '{property.Name}' is not supported in strict mode");
            }
        }

        if (node.TryGetProperty("$ref", out _))
        {
            return;
        }

        if (node.TryGetProperty("anyOf", out var anyOf))
        {
            if (anyOf.ValueKind != JsonValueKind.Array || anyOf.GetArrayLength() == 0)
            {
                state.Errors.Add($"{path}: 'anyOf' must be a non-empty array");
                return;
            }

            var index = 0;
            foreach (var option in anyOf.EnumerateArray())
            {
                CheckNode(option, $"{path}.anyOf[{index++}]", objectDepth, state);
            }

            return;
        }

        var types = ReadTypes(node, path, state);
        if (node.TryGetProperty("enum", out var values))
        {
            CheckEnum(values, types, path, state);
        }

        if (types.Contains("object"))
        {
            CheckObject(node, path, objectDepth + 1, state);
        }

        if (types.Contains("array"))
        {
            if (!node.TryGetProperty("items", out var items))
            {
                state.Errors.Add($"{path}: an array schema must define 'items'");
            }
            else
            {
                CheckNode(items, $"{path}.items", objectDepth, state);
            }
        }
    }

    private static List<string> ReadTypes(JsonElement node, string path, CheckState state)
    {
        var types = new List<string>();
        if (!node.TryGetProperty("type", out var type))
        {
            if (!node.TryGetProperty("enum", out _) && !node.TryGetProperty("const", out _))
            {
                state.Errors.Add($"{path}: every schema needs a 'type' (or 'anyOf', 'enum', '$ref')");
            }

            return types;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            types.Add(type.GetString()!);
        }
        else if (type.ValueKind == JsonValueKind.Array)
        {
            types.AddRange(type.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String ? t.GetString()! : t.GetRawText()));
        }
        else
        {
            state.Errors.Add($"{path}: 'type' must be a string or an array of strings");
        }

        foreach (var name in types.Where(t => !SupportedTypes.Contains(t)))
        {
            state.Errors.Add($"{path}: unsupported type '{name}'");
        }

        return types;
    }

    private static void CheckEnum(JsonElement values, List<string> types, string path, CheckState state)
    {
        if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
        {
            state.Errors.Add($"{path}: 'enum' must be a non-empty array");
            return;
        }

        state.TotalEnumValues += values.GetArrayLength();
        if (types.Contains("null") && !values.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.Null))
        {
            state.Errors.Add($"{path}: a nullable enum must list null among its values");
        }
    }

    private static void CheckObject(JsonElement node, string path, int depth, CheckState state)
    {
        if (depth > MaxNestingLevels)
        {
            state.Errors.Add($"{path}: object nested {depth} levels deep; at most {MaxNestingLevels} are allowed");
        }

        if (!node.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
        {
            state.Errors.Add($"{path}: objects must set \"additionalProperties\": false");
        }

        var names = new List<string>();
        if (node.TryGetProperty("properties", out var properties))
        {
            if (properties.ValueKind != JsonValueKind.Object)
            {
                state.Errors.Add($"{path}: 'properties' must be an object");
                return;
            }

            foreach (var property in properties.EnumerateObject())
            {
                names.Add(property.Name);
                state.TotalProperties++;
                CheckNode(property.Value, $"{path}.{property.Name}", depth, state);
            }
        }

        var required = new HashSet<string>(StringComparer.Ordinal);
        if (node.TryGetProperty("required", out var requiredList))
        {
            if (requiredList.ValueKind != JsonValueKind.Array)
            {
                state.Errors.Add($"{path}: 'required' must be an array");
                return;
            }

            foreach (var item in requiredList.EnumerateArray())
            {
                var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
                required.Add(name);
                if (!names.Contains(name))
                {
                    state.Errors.Add($"{path}: 'required' lists '{name}', which is not a property");
                }
            }
        }

        foreach (var name in names.Where(n => !required.Contains(n)))
        {
            state.Errors.Add($"{path}: property '{name}' is not listed in 'required' (strict mode requires every property; make optional ones nullable)");
        }
    }

    private sealed class CheckState
    {
        public List<string> Errors { get; } = [];

        public int TotalProperties { get; set; }

        public int TotalEnumValues { get; set; }
    }
}
