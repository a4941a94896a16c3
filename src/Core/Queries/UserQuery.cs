namespace WildLong.Core.Queries;

/// <summary>
/// One real user request (the first user turn of a chat log), the raw material of stage 1.
/// <paramref name="Origin"/> says where it was read ("file:line") so later errors can point back to it.
/// </summary>
public sealed record UserQuery(string Id, string Text, string Source, string? Language = null, string? Origin = null);
