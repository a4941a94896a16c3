namespace WildLong.Core.Generation;

/// <summary>
/// The quality judge's structured opinion of one (instruction, response) pair. Kept in the output metadata so the
/// filter can be re-tuned later without calling the model again. <see cref="IntentPreserved"/> says the adapted
/// request kept the generic request's intent (true for verdicts from before the judge checked it).
/// </summary>
public sealed record JudgeVerdict(bool Answerable, bool DocumentDependent, int Score, string Reason, bool IntentPreserved = true);
