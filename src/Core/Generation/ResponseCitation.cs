namespace WildLong.Core.Generation;

/// <summary>
/// A passage a response relies on: the (1-based) document it comes from, its section heading when the model named
/// one, and a verbatim quote. <see cref="Verified"/> says the quote was found in that document (whitespace, case
/// and typographic quotes aside), so the grounding can be audited without calling the model again.
/// </summary>
public sealed record ResponseCitation(int Document, string? Section, string Quote, bool Verified);
