namespace WildLong.Core.Common;

/// <summary>
/// One physical line of a JSONL input as the line reader saw it: its decoded text, or why it could not be used
/// (too long, invalid UTF-8, unreadable stream). Format readers turn the error into a quarantine entry of their stage.
/// </summary>
/// <param name="LineNumber">1-based physical line number (blank lines are counted, though never yielded).</param>
/// <param name="ByteOffset">Offset of the line's first byte in the stream.</param>
/// <param name="Text">The decoded line without its line break; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the line was rejected; null for a good line.</param>
public readonly record struct JsonlLine(long LineNumber, long ByteOffset, string? Text, string? Error)
{
    public bool IsError => Error is not null;
}
