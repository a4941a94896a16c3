namespace WildLong.Core.Common;

/// <summary>
/// One input record or one work item that could not be used, with enough context (stage, source, line, reason)
/// for a user to find and fix it. Quarantining instead of throwing is what keeps one bad line or one failed
/// model call from sinking a whole shard or run.
/// </summary>
public sealed record QuarantineEntry(string Stage, string Source, long Line, string? ItemId, string Reason, string? Detail = null)
{
    /// <summary>A record that could not be read from an input file.</summary>
    public static QuarantineEntry ForInput(string stage, string source, long line, string reason, string? itemId = null)
        => new(stage, source, line, itemId, reason);

    /// <summary>An item that a processing stage (usually a model call) could not complete.</summary>
    public static QuarantineEntry ForItem(string stage, string itemId, string reason, string? detail = null)
        => new(stage, itemId, 0, itemId, reason, detail);

    public override string ToString()
        => Line > 0 ? $"[{Stage}] {Source}:{Line}: {Reason}" : $"[{Stage}] {Source}: {Reason}";
}
