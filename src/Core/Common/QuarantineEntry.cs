namespace WildLong.Core.Common;

/// <summary>
/// One input record or one work item that could not be used, with enough context (stage, source, line, reason)
/// for a user to find and fix it. Quarantining instead of throwing is what keeps one bad line or one failed
/// model call from sinking a whole shard or run.
/// </summary>
/// <param name="Stage">The stage that dropped the item.</param>
/// <param name="Source">The input file or item the entry is about.</param>
/// <param name="Line">The line in <paramref name="Source"/> (0 for a work item).</param>
/// <param name="ItemId">The item's id, when it has one.</param>
/// <param name="Reason">Why it was dropped, in one line.</param>
/// <param name="Detail">More context (a model's answer, a judge's verdict), when there is any.</param>
/// <param name="JudgeScore">The quality judge's score of a pair it rejected (null for every other entry), so the
/// dataset report reads it as a number instead of parsing <paramref name="Detail"/>.</param>
/// <param name="ItemKind">What kind of item the entry is about when a stage handles more than one
/// (<see cref="InstructionItem"/> or <see cref="PairItem"/> for the near-duplicate filter); null otherwise.</param>
public sealed record QuarantineEntry(string Stage, string Source, long Line, string? ItemId, string Reason, string? Detail = null, int? JudgeScore = null, string? ItemKind = null)
{
    /// <summary><see cref="ItemKind"/> of an agnostic instruction.</summary>
    public const string InstructionItem = "instruction";

    /// <summary><see cref="ItemKind"/> of a generated pair (training record).</summary>
    public const string PairItem = "pair";

    /// <summary>A record that could not be read from an input file.</summary>
    public static QuarantineEntry ForInput(string stage, string source, long line, string reason, string? itemId = null)
        => new(stage, source, line, itemId, reason);

    /// <summary>An item that a processing stage (usually a model call) could not complete.</summary>
    public static QuarantineEntry ForItem(string stage, string itemId, string reason, string? detail = null)
        => new(stage, itemId, 0, itemId, reason, detail);

    public override string ToString()
        => Line > 0 ? $"[{Stage}] {Source}:{Line}: {Reason}" : $"[{Stage}] {Source}: {Reason}";
}
