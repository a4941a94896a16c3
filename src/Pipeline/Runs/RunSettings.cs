namespace WildLong.Pipeline.Runs;

/// <summary>
/// The per-run choices that travel with a run (everything else is host configuration): how many pairs, the seed
/// and the multi-document share. Part of the run's identity, so the same settings on the same inputs resume the same
/// run.
/// </summary>
public sealed record RunSettings(int Pairs, ulong Seed, double? MultiDocumentShare = null)
{
    public void Validate()
    {
        if (Pairs < 1)
        {
            throw new ArgumentException("pairs must be at least 1", nameof(Pairs));
        }

        if (MultiDocumentShare is < 0 or > 1)
        {
            throw new ArgumentException("the multi-document share must be between 0 and 1", nameof(MultiDocumentShare));
        }
    }
}
