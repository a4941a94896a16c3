namespace WildLong.Core.Instructions;

/// <summary>
/// The instruction writer's answer (<c>{"instruction": "…"}</c>); its schema is generated
/// (<see cref="Model.StructuredAnswer{T}"/>). Adaptation has its own answer (<see cref="Generation.AdaptationAnswer"/>).
/// </summary>
internal sealed record InstructionAnswer(string Instruction);
