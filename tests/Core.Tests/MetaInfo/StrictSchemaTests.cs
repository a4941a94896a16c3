using System.Text.Json;
using WildLong.Core.Documents;
using WildLong.Core.Model;
using WildLong.Core.MetaInfo;

namespace WildLong.Core.Tests.MetaInfo;

public class StrictSchemaTests
{
    private const string Valid = """
        {
          "type": "object",
          "properties": {
            "name": { "type": "string" },
            "tags": { "type": ["array", "null"], "items": { "type": "string" } },
            "level": { "type": ["string", "null"], "enum": ["low", "high", null] },
            "nested": {
              "type": "object",
              "properties": { "flag": { "type": "boolean" } },
              "required": ["flag"],
              "additionalProperties": false
            }
          },
          "required": ["name", "tags", "level", "nested"],
          "additionalProperties": false
        }
        """;

    [Fact]
    public void Built_metainfo_schema_satisfies_strict_mode()
    {
        var schema = StrictSchemaBuilder.Build(MetaInfoSchema.Default, DocumentTaxonomy.Default);

        Assert.Empty(StrictSchemaRules.Check(schema));
    }

    [Fact]
    public void Built_schema_has_verdict_every_field_and_nullable_optional_fields()
    {
        var schema = StrictSchemaBuilder.Build(MetaInfoSchema.Default, DocumentTaxonomy.Default);
        var properties = schema.GetProperty("properties");

        Assert.Equal(JsonValueKind.False, schema.GetProperty("additionalProperties").ValueKind);
        Assert.Equal(["refers_to_document", .. MetaInfoSchema.Default.Fields.Select(f => f.Name)], properties.EnumerateObject().Select(p => p.Name));
        Assert.Equal(properties.EnumerateObject().Select(p => p.Name), schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("boolean", properties.GetProperty("refers_to_document").GetProperty("type").GetString());

        // Optional fields may be null; the (required) document type is an enum of taxonomy names.
        Assert.Equal(["string", "null"], properties.GetProperty("language").GetProperty("type").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("null", properties.GetProperty("domain").GetProperty("anyOf")[1].GetProperty("type").GetString());
        Assert.Equal(["array", "null"], properties.GetProperty("constraints").GetProperty("type").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["boolean", "null"], properties.GetProperty("multi_document_need").GetProperty("type").EnumerateArray().Select(e => e.GetString()));
        var documentType = properties.GetProperty("document_type");
        Assert.Equal("string", documentType.GetProperty("type").GetString());
        Assert.Equal(DocumentTaxonomy.Default.Names, documentType.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("At most 3 items", properties.GetProperty("constraints").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Built_schema_accepts_a_valid_answer_and_rejects_an_unknown_document_type()
    {
        var schema = StrictSchemaBuilder.Build(MetaInfoSchema.Default, DocumentTaxonomy.Default);
        var answer = ScriptedMetaInfo.Answer(refers: true, documentType: "scientific_paper", task: ["summarize the paper"]);

        Assert.Empty(JsonSchemaInstanceValidator.Validate(schema, JsonDocument.Parse(answer).RootElement));
        var wrong = answer.Replace("scientific_paper", "recipe", StringComparison.Ordinal);
        Assert.NotEmpty(JsonSchemaInstanceValidator.Validate(schema, JsonDocument.Parse(wrong).RootElement));
    }

    [Fact]
    public void Valid_reference_schema_passes() => Assert.Empty(StrictSchemaRules.Check(Parse(Valid)));

    [Theory]
    [InlineData("\"additionalProperties\": false\n}", "\"additionalProperties\": true\n}", "additionalProperties")]
    [InlineData("\"required\": [\"name\", \"tags\", \"level\", \"nested\"]", "\"required\": [\"name\", \"level\", \"nested\"]", "property 'tags' is not listed in 'required'")]
    [InlineData("\"required\": [\"flag\"]", "\"required\": [\"flag\", \"ghost\"]", "'required' lists 'ghost'")]
    [InlineData("\"name\": { \"type\": \"string\" }", "\"name\": { \"type\": \"string\", \"pattern\": \"^a\" }", "keyword 'pattern'")]
    [InlineData("\"name\": { \"type\": \"string\" }", "\"name\": { \"type\": \"string\", \"minLength\": 1 }", "keyword 'minLength'")]
    [InlineData("\"name\": { \"type\": \"string\" }", "\"name\": { \"type\": \"string\", \"format\": \"email\" }", "keyword 'format'")]
    [InlineData("\"items\": { \"type\": \"string\" }", "\"items\": { \"type\": \"string\" }, \"minItems\": 1", "keyword 'minItems'")]
    [InlineData("\"name\": { \"type\": \"string\" }", "\"name\": { \"oneOf\": [{ \"type\": \"string\" }] }", "keyword 'oneOf'")]
    [InlineData("\"enum\": [\"low\", \"high\", null]", "\"enum\": [\"low\", \"high\"]", "nullable enum must list null")]
    [InlineData("\"name\": { \"type\": \"string\" }", "\"name\": { \"type\": \"date\" }", "unsupported type 'date'")]
    [InlineData("\"name\": { \"type\": \"string\" }", "\"name\": { \"description\": \"no type\" }", "needs a 'type'")]
    [InlineData("\"tags\": { \"type\": [\"array\", \"null\"], \"items\": { \"type\": \"string\" } }", "\"tags\": { \"type\": [\"array\", \"null\"] }", "must define 'items'")]
    public void Each_strict_rule_catches_its_violation(string find, string replace, string expected)
    {
        Assert.Contains(find, Valid, StringComparison.Ordinal);
        var broken = Valid.Replace(find, replace, StringComparison.Ordinal);

        var violations = StrictSchemaRules.Check(Parse(broken));

        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_additional_properties_on_a_nested_object_is_caught_with_its_path()
    {
        var broken = Valid.Replace("\"required\": [\"flag\"],\n      \"additionalProperties\": false", "\"required\": [\"flag\"]", StringComparison.Ordinal);
        Assert.NotEqual(Valid, broken);

        var violations = StrictSchemaRules.Check(Parse(broken));

        Assert.Equal(["$.nested: objects must set \"additionalProperties\": false"], violations);
    }

    [Fact]
    public void Root_must_be_an_object_and_not_any_of()
    {
        Assert.Contains(StrictSchemaRules.Check(Parse("""{"type": "array", "items": {"type": "string"}}""")), v => v.Contains("root schema must have \"type\": \"object\"", StringComparison.Ordinal));
        Assert.Contains(StrictSchemaRules.Check(Parse("""{"anyOf": [{"type": "object", "properties": {}, "required": [], "additionalProperties": false}]}""")), v => v.Contains("must not be an anyOf", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(6, true)]
    public void Nesting_deeper_than_five_object_levels_is_caught(int levels, bool violates)
    {
        var json = "{\"type\": \"string\"}";
        for (var i = 0; i < levels; i++)
        {
            json = $"{{\"type\": \"object\", \"properties\": {{\"child\": {json}}}, \"required\": [\"child\"], \"additionalProperties\": false}}";
        }

        var violations = StrictSchemaRules.Check(Parse(json));

        Assert.Equal(violations, violations.Where(v => v.Contains("levels deep", StringComparison.Ordinal)));
        Assert.Equal(violates, violations.Count > 0);
    }

    [Fact]
    public void More_than_one_hundred_properties_are_caught()
    {
        var names = Enumerable.Range(0, 101).Select(i => $"p{i}").ToList();
        var json = $"{{\"type\": \"object\", \"properties\": {{{string.Join(", ", names.Select(n => $"\"{n}\": {{\"type\": \"string\"}}"))}}}, \"required\": [{string.Join(", ", names.Select(n => $"\"{n}\""))}], \"additionalProperties\": false}}";

        Assert.Equal(["$: 101 object properties in total; at most 100 are allowed"], StrictSchemaRules.Check(Parse(json)));
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
