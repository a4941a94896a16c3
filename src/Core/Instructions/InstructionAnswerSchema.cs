using System.Text.Json;

namespace WildLong.Core.Instructions;

/// <summary>
/// The strict schema of the instruction writer's answer (<c>{"instruction": "…"}</c>). Adaptation has its own
/// schema (<see cref="Generation.InstructionAdapter"/>: reason, fits, instruction).
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
