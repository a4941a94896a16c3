using System.Text.Json;
using WildLong.Core.Model;

namespace WildLong.Core.Tests.Model;

public sealed class JsonSchemaInstanceValidatorTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","additionalProperties":false,"required":["kind","tags","score","note"],
         "properties":{
           "kind":{"type":"string","enum":["a","b"]},
           "tags":{"type":"array","items":{"type":"string"}},
           "score":{"type":"integer"},
           "note":{"type":["string","null"]}}}
        """).RootElement;

    [Fact]
    public void A_valid_instance_has_no_violations()
        => Assert.Empty(Validate("""{"kind":"a","tags":["x"],"score":3,"note":null}"""));

    [Theory]
    [InlineData("""{"kind":"c","tags":[],"score":1,"note":null}""", "$.kind: value \"c\" is not one of")]
    [InlineData("""{"kind":"a","tags":[1],"score":1,"note":null}""", "$.tags[0]: expected string but got number")]
    [InlineData("""{"kind":"a","tags":[],"score":1.5,"note":null}""", "$.score: expected integer")]
    [InlineData("""{"kind":"a","tags":[],"score":1}""", "missing required property 'note'")]
    [InlineData("""{"kind":"a","tags":[],"score":1,"note":null,"extra":true}""", "unexpected property 'extra'")]
    [InlineData("""[1,2]""", "$: expected object but got array")]
    public void Violations_name_the_path_and_the_problem(string instance, string expected)
        => Assert.Contains(Validate(instance), v => v.Contains(expected, StringComparison.Ordinal));

    private static IReadOnlyList<string> Validate(string json)
        => JsonSchemaInstanceValidator.Validate(Schema, JsonDocument.Parse(json).RootElement);
}
