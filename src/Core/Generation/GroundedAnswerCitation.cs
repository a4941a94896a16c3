namespace WildLong.Core.Generation;

/// <summary>One cited passage as the model writes it: the 1-based document, its section when it has one, the quote.</summary>
internal sealed record GroundedAnswerCitation(int Document, string? Section, string Quote);
