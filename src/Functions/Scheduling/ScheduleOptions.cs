namespace WildLong.Functions.Scheduling;

/// <summary>
/// What scheduled regeneration makes when the graphs changed since the last dataset (the schedule itself is the app
/// setting <c>WildLongRegenerationSchedule</c>, a CRON expression the Functions host reads).
/// </summary>
public sealed class ScheduleOptions
{
    public const string SectionName = "WildLong:Schedule";

    /// <summary>False turns the timer into a no-op without redeploying.</summary>
    public bool Enabled { get; set; } = true;

    public int Pairs { get; set; } = 1000;

    public ulong Seed { get; set; }

    /// <summary>Null uses <c>WildLong:Generation:MultiDocumentShare</c>.</summary>
    public double? MultiDocumentShare { get; set; }

    public void Validate()
    {
        if (Pairs < 1)
        {
            throw new InvalidOperationException($"{SectionName}:Pairs must be at least 1");
        }

        if (MultiDocumentShare is { } share && (double.IsNaN(share) || share < 0 || share > 1))
        {
            throw new InvalidOperationException($"{SectionName}:MultiDocumentShare must be between 0 and 1");
        }
    }
}
