using Microsoft.DurableTask;

namespace WildLong.Engine.Tests.Toys;

/// <summary>Registers every toy orchestrator and activity by type (so activities get constructor injection).</summary>
public static class ToyTasks
{
    public static void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator<FanOutOrchestrator>();
        registry.AddOrchestrator<SequenceOrchestrator>();
        registry.AddOrchestrator<SubOrchestrationFanOut>();
        registry.AddOrchestrator<StatusOrchestrator>();
        registry.AddOrchestrator<RecoveringOrchestrator>();
        registry.AddActivity<EchoActivity>();
        registry.AddActivity<FailingActivity>();
    }
}
