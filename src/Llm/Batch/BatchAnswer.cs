using WildLong.Llm.Caching;

namespace WildLong.Llm.Batch;

/// <summary>
/// What collected batches said about one request (see <see cref="BatchAnswers"/>): the answer, the reason it failed
/// for good, or whether it failed once (and is worth sending once more).
/// </summary>
public sealed record BatchAnswer(CachedChatResponse? Answer, string? FinalFailure, bool FailedOnce);
