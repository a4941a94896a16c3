using System.Text.Json;
using WildLong.Core.Generation;
using WildLong.Core.Instructions;
using WildLong.Core.Model;

namespace WildLong.Core.Tests.Model;

/// <summary>
/// Answers are records whose schemas are generated. The schemas on the wire must be exactly the ones the stages sent
/// when they were written by hand (below, verbatim): the schema is part of every request, so a different text would
/// change prompt tokens, response-cache keys and what a model answers.
/// </summary>
public sealed class StructuredAnswerTests
{
    public static TheoryData<string, string> Schemas => new()
    {
        {
            nameof(JudgeAnswer),
            """
            {
              "type": "object",
              "properties": {
                "reason": { "type": "string" },
                "intent_preserved": { "type": "boolean" },
                "answerable": { "type": "boolean" },
                "document_dependent": { "type": "boolean" },
                "score": { "type": "integer" }
              },
              "required": ["reason", "intent_preserved", "answerable", "document_dependent", "score"],
              "additionalProperties": false
            }
            """
        },
        {
            nameof(AdaptationAnswer),
            """
            {
              "type": "object",
              "properties": {
                "reason": { "type": "string" },
                "fits": { "type": "boolean" },
                "instruction": { "type": "string" }
              },
              "required": ["reason", "fits", "instruction"],
              "additionalProperties": false
            }
            """
        },
        {
            nameof(GroundedAnswer),
            """
            {
              "type": "object",
              "properties": {
                "citations": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "properties": {
                      "document": { "type": "integer" },
                      "section": { "type": ["string", "null"] },
                      "quote": { "type": "string" }
                    },
                    "required": ["document", "section", "quote"],
                    "additionalProperties": false
                  }
                },
                "answer": { "type": "string" }
              },
              "required": ["citations", "answer"],
              "additionalProperties": false
            }
            """
        },
        {
            nameof(InstructionAnswer),
            """
            {
              "type": "object",
              "properties": { "instruction": { "type": "string" } },
              "required": ["instruction"],
              "additionalProperties": false
            }
            """
        },
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public void The_generated_schema_is_the_one_the_stage_sent_before(string answer, string expected)
    {
        using var document = JsonDocument.Parse(expected);
        Assert.Equal(SchemaText.Compact(document.RootElement), SchemaText.Compact(SchemaOf(answer)));
        Assert.Empty(StrictSchemaRules.Check(SchemaOf(answer)));
    }

    [Fact]
    public void An_answer_is_read_into_its_record_with_nullable_fields_kept_null()
    {
        using var document = JsonDocument.Parse("""
            {"citations": [{"document": 2, "section": null, "quote": "q"}, {"document": 1, "section": "Intro", "quote": "r"}], "answer": "a"}
            """);

        var answer = StructuredAnswer<GroundedAnswer>.Read(document.RootElement);

        Assert.Equal("a", answer.Answer);
        Assert.Equal([new GroundedAnswerCitation(2, null, "q"), new GroundedAnswerCitation(1, "Intro", "r")], answer.Citations);
    }

    [Fact]
    public void An_answer_that_does_not_fit_its_record_is_rejected_with_a_reason_and_the_stage_check_is_not_asked()
    {
        var asked = 0;
        var check = StructuredAnswer<JudgeAnswer>.Check(_ => { asked++; return null; });
        using var tooLarge = JsonDocument.Parse("""
            {"reason": "r", "intent_preserved": true, "answerable": true, "document_dependent": true, "score": 3000000000}
            """);
        using var nullReason = JsonDocument.Parse("""
            {"reason": null, "intent_preserved": true, "answerable": true, "document_dependent": true, "score": 3}
            """);
        using var fine = JsonDocument.Parse("""
            {"reason": "r", "intent_preserved": true, "answerable": true, "document_dependent": true, "score": 3}
            """);

        Assert.StartsWith("the answer could not be read: ", check(tooLarge.RootElement), StringComparison.Ordinal);
        Assert.StartsWith("the answer could not be read: ", check(nullReason.RootElement), StringComparison.Ordinal);
        Assert.Equal(0, asked);
        Assert.Null(check(fine.RootElement));
        Assert.Equal(1, asked);
    }

    private static JsonElement SchemaOf(string answer) => answer switch
    {
        nameof(JudgeAnswer) => StructuredAnswer<JudgeAnswer>.Schema,
        nameof(AdaptationAnswer) => StructuredAnswer<AdaptationAnswer>.Schema,
        nameof(GroundedAnswer) => StructuredAnswer<GroundedAnswer>.Schema,
        nameof(InstructionAnswer) => StructuredAnswer<InstructionAnswer>.Schema,
        _ => throw new ArgumentOutOfRangeException(nameof(answer), answer, null),
    };
}
