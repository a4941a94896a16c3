namespace WildLong.Core.Generation;

/// <summary>
/// The judge's verdict as the model writes it. <see cref="Reason"/> comes first so the judge reasons before it
/// commits to verdicts; <see cref="IntentPreserved"/> checks the adapted request against the generic one.
/// </summary>
internal sealed record JudgeAnswer(string Reason, bool IntentPreserved, bool Answerable, bool DocumentDependent, int Score);
