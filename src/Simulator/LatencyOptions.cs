namespace WildLong.Simulator;

/// <summary>
/// How long a simulated answer takes, so throughput and timeout behaviour can be measured against something
/// shaped like a real deployment. All zero by default so tests run at full speed.
/// </summary>
public sealed class LatencyOptions
{
    /// <summary>Time to first token, in milliseconds.</summary>
    public double TimeToFirstTokenMs { get; set; }

    /// <summary>Time per generated output token, in milliseconds.</summary>
    public double PerOutputTokenMs { get; set; }

    /// <summary>Relative jitter in [0, 1]: each delay is scaled by a factor drawn uniformly from [1 - j, 1 + j].</summary>
    public double Jitter { get; set; }
}
