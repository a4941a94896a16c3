namespace WildLong.Core.Graphs;

/// <summary>
/// How instruction paths are drawn from a graph. The temperature is the main knob: above 1 it flattens the
/// preference for frequent values so paths reach the long tail; below 1 it concentrates on the head.
/// </summary>
public sealed class SamplingOptions
{
    public const string SectionName = "WildLong:Sampling";

    /// <summary>T in weight^(1/T) for both the start value and each later step. Must be positive.</summary>
    public double Temperature { get; set; } = 1.0;

    /// <summary>
    /// <see cref="PathSampler.SampleUnique"/> draws at most this many indices per requested path before giving up
    /// and returning what it has (a small graph cannot supply arbitrarily many distinct paths).
    /// </summary>
    public int MaxAttemptsPerPath { get; set; } = 20;

    /// <summary>
    /// The field every path starts at — the task the user asks for, so every path carries one. A graph without
    /// values of this field starts anywhere (as graphs did before).
    /// </summary>
    public string StartField { get; set; } = "task_request";

    /// <summary>
    /// When true (the default) a path's number of values follows the records' histogram (<see cref="GraphShape"/>)
    /// and list fields may contribute several values; when false, or for graphs without a recorded shape, a path
    /// takes one value of every field it can reach.
    /// </summary>
    public bool ShapePathsLikeRecords { get; set; } = true;

    /// <summary>Threads used by batch sampling; results do not depend on it. 0 means one per processor.</summary>
    public int MaxDegreeOfParallelism { get; set; }
}
