namespace WildLong.Core.Runner;

/// <summary>What one in-process run of the method produces, and in which batch sizes it works.</summary>
public sealed class MethodRunOptions
{
    public const string SectionName = "WildLong:Run";

    /// <summary>Pairs wanted in the dataset.</summary>
    public int Pairs { get; set; } = 100;

    /// <summary>
    /// Paths sampled per wanted pair. Some instructions are lost to failed calls, the judge and deduplication, so a
    /// run plans more than it keeps and then picks <see cref="Pairs"/> of the kept pairs (<see cref="RoundPlanner.Select"/>:
    /// the multi-document share, single-document pairs spread over the length mix).
    /// </summary>
    public double Oversample { get; set; } = 1.5;

    /// <summary>Rounds of planning more paths when a round keeps fewer pairs than wanted.</summary>
    public int MaxRounds { get; set; } = 4;

    public int QueryBatchSize { get; set; } = 64;

    public int DocumentBatchSize { get; set; } = 8;

    public int InstructionBatchSize { get; set; } = 32;

    public int PairBatchSize { get; set; } = 16;

    public void Validate()
    {
        Check(Pairs > 0, "WildLong:Run:Pairs must be positive");
        Check(Oversample >= 1 && double.IsFinite(Oversample), "WildLong:Run:Oversample must be at least 1");
        Check(MaxRounds >= 1, "WildLong:Run:MaxRounds must be at least 1");
        Check(QueryBatchSize > 0 && DocumentBatchSize > 0 && InstructionBatchSize > 0 && PairBatchSize > 0, "WildLong:Run batch sizes must be positive");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
