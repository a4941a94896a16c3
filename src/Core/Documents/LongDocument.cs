namespace WildLong.Core.Documents;

/// <summary>
/// A long document from the user's corpus (stage 2 input). <paramref name="DocTypeHint"/> is an optional type the
/// corpus already knows; when present it spares a classification call.
/// </summary>
public sealed record LongDocument(
    string Id,
    string Title,
    string Text,
    string Source,
    string? DocTypeHint = null,
    string? License = null,
    string? Origin = null);
