namespace WildLong.Core.Generation;

/// <summary>The response generator's answer: citations first, then the answer that refers to them.</summary>
internal sealed record GroundedAnswer(IReadOnlyList<GroundedAnswerCitation> Citations, string Answer);
