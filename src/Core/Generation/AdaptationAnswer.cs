namespace WildLong.Core.Generation;

/// <summary>
/// The adapter's answer. <see cref="Reason"/> comes first so the model decides <see cref="Fits"/> after thinking it
/// through; <see cref="Instruction"/> is the adapted request (empty when it does not fit).
/// </summary>
internal sealed record AdaptationAnswer(string Reason, bool Fits, string Instruction);
