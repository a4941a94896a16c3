using Microsoft.DurableTask;

namespace WildLong.Engine.Tests.Toys;

/// <summary>Fans out through sub-orchestrations: <c>Subs</c> × <see cref="FanOutOrchestrator"/>(<c>PerSub</c>), summed.</summary>
public sealed class SubOrchestrationFanOut : TaskOrchestrator<SubOrchestrationFanOutInput, long>
{
    public override async Task<long> RunAsync(TaskOrchestrationContext context, SubOrchestrationFanOutInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subs = Enumerable.Range(0, input.Subs)
            .Select(i => context.CallSubOrchestratorAsync<long>(nameof(FanOutOrchestrator), input.PerSub))
            .ToList();
        var results = await Task.WhenAll(subs);
        return results.Sum();
    }
}

/// <summary>Input of <see cref="SubOrchestrationFanOut"/>.</summary>
public sealed record SubOrchestrationFanOutInput(int Subs, int PerSub);
