namespace WildLong.Core.Generation;

/// <summary>
/// The adapter's answer: whether the generic instruction fits the document(s), why, and (when it fits) the request
/// made specific to them. A misfit is reported rather than rewritten into another task, so the pair can be re-paired
/// with other document(s) and the user's intent survives.
/// </summary>
public sealed record AdaptedInstruction(bool Fits, string Reason, string Text);
