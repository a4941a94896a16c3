using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Extraction;

/// <summary>What extracting a set of shards or indexing a set of corpora did, and the plans (blob, id, version, items) it read.</summary>
public sealed record InputStepResult(WorkSummary Summary, IReadOnlyList<InputBlobPlan> Plans);
