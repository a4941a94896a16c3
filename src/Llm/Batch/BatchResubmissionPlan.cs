namespace WildLong.Llm.Batch;

/// <summary>The requests to send again (failed, expired or missing) and the input files written for them.</summary>
public sealed record BatchResubmissionPlan(IReadOnlyList<string> CustomIds, IReadOnlyList<BatchRequestFile> Files)
{
    public bool IsEmpty => CustomIds.Count == 0;
}
