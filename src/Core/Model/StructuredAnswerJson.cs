using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace WildLong.Core.Model;

/// <summary>
/// How <see cref="StructuredAnswer{T}"/> maps records to JSON: snake_case property names, nullable annotations
/// respected (a <c>string?</c> property becomes <c>["string", "null"]</c>, a <c>string</c> one must be a string),
/// and schemas in the strict form structured outputs require (all properties required, no additional ones).
/// </summary>
public static class StructuredAnswerJson
{
    /// <summary>The serializer options answers are read with and schemas are generated from.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateSerializerOptions();

    private static readonly AIJsonSchemaCreateOptions SchemaOptions = new()
    {
        TransformOptions = new AIJsonSchemaTransformOptions
        {
            DisallowAdditionalProperties = true,
            RequireAllProperties = true,
        },
    };

    /// <summary>The strict schema of <paramref name="type"/>.</summary>
    public static JsonElement CreateSchema(Type type)
        => AIJsonUtilities.CreateJsonSchema(type, serializerOptions: SerializerOptions, inferenceOptions: SchemaOptions);

    private static JsonSerializerOptions CreateSerializerOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
