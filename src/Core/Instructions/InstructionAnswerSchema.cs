using System.Text.Json;

namespace WildLong.Core.Instructions;

/// <summary>
/// The strict schema of every answer that is one instruction (<c>{"instruction": "…"}</c>): both writing the
/// document-agnostic instruction and adapting it to a document ask for this shape.
/// </summary>
internal static class InstructionAnswerSchema
{
    public static JsonElement Schema { get; } = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": { "instruction": { "type": "string" } },
          "required": ["instruction"],
          "additionalProperties": false
        }
        """).RootElement.Clone();
}
