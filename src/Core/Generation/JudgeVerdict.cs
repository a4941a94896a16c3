namespace WildLong.Core.Generation;

/// <summary>
/// The quality judge's structured opinion of one (instruction, response) pair. Kept in the output metadata so the
/// filter can be re-tuned later without calling the model again.
/// </summary>
public sealed record JudgeVerdict(bool Answerable, bool DocumentDependent, int Score, string Reason);
