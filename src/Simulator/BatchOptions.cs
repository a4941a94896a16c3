namespace WildLong.Simulator;

/// <summary>
/// How simulated Batch API jobs behave, so the pipeline's batch path (upload, poll, read output and error files)
/// can be exercised, including lines that fail and jobs cancelled mid-run.
/// </summary>
public sealed class BatchOptions
{
    /// <summary>Rate in [0, 1] of input lines that end in the error file instead of the output file.</summary>
    public double LineFailureRate { get; set; }

    /// <summary>Time spent on each line, in milliseconds (0 = as fast as possible).</summary>
    public double LineDelayMs { get; set; }
}
