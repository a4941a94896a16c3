using System.Text.Json;

namespace WildLong.Core.Model;

/// <summary>
/// Checks a JSON value against the subset of JSON Schema that strict structured outputs use (type, properties,
/// required, additionalProperties, items, enum, anyOf). Models and endpoints that ignore the schema, or that are
/// cut off mid-answer, are caught here and the error is fed back to the model on retry.
/// </summary>
public static class JsonSchemaInstanceValidator
{
    /// <summary>Returns the violations found, each with its JSON path; empty when the instance is valid.</summary>
    public static IReadOnlyList<string> Validate(JsonElement schema, JsonElement instance)
    {
        var errors = new List<string>();
        Check(schema, instance, "$", errors);
        return errors;
    }

    private static void Check(JsonElement schema, JsonElement instance, string path, List<string> errors)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("anyOf", out var anyOf) && anyOf.ValueKind == JsonValueKind.Array)
        {
            var matched = anyOf.EnumerateArray().Any(option =>
            {
                var optionErrors = new List<string>();
                Check(option, instance, path, optionErrors);
                return optionErrors.Count == 0;
            });
            if (!matched)
            {
                errors.Add($"{path}: matches none of the allowed alternatives");
            }

            return;
        }

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, instance))
        {
            errors.Add($"{path}: expected {DescribeType(type)} but got {Describe(instance.ValueKind)}");
            return;
        }

        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array
            && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, instance)))
        {
            errors.Add($"{path}: value {instance.GetRawText()} is not one of {allowed.GetRawText()}");
        }

        switch (instance.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(schema, instance, path, errors);
                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                var index = 0;
                foreach (var element in instance.EnumerateArray())
                {
                    Check(items, element, $"{path}[{index++}]", errors);
                }

                break;
        }
    }

    private static void CheckObject(JsonElement schema, JsonElement instance, string path, List<string> errors)
    {
        var hasProperties = schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object;
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray())
            {
                var key = name.GetString();
                if (key is not null && !instance.TryGetProperty(key, out _))
                {
                    errors.Add($"{path}: missing required property '{key}'");
                }
            }
        }

        var closed = schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False;
        foreach (var property in instance.EnumerateObject())
        {
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Check(propertySchema, property.Value, $"{path}.{property.Name}", errors);
            }
            else if (closed)
            {
                errors.Add($"{path}: unexpected property '{property.Name}'");
            }
        }
    }

    private static bool TypeMatches(JsonElement type, JsonElement instance)
        => type.ValueKind switch
        {
            JsonValueKind.String => Matches(type.GetString(), instance),
            JsonValueKind.Array => type.EnumerateArray().Any(t => Matches(t.GetString(), instance)),
            _ => true,
        };

    private static bool Matches(string? type, JsonElement instance) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && instance.TryGetInt64(out _),
        _ => true,
    };

    private static string DescribeType(JsonElement type)
        => type.ValueKind == JsonValueKind.Array
            ? string.Join(" or ", type.EnumerateArray().Select(t => t.GetString()))
            : type.GetString() ?? "?";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
