using Microsoft.DurableTask.Client;

namespace WildLong.Pipeline.Orchestration;

/// <summary>What an attempt to start an orchestration did: started it, or found it already there (and in which state).</summary>
public sealed record OrchestrationStart(string InstanceId, bool Started, OrchestrationRuntimeStatus? ExistingStatus);
