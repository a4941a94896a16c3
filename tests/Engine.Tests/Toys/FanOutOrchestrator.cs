using Microsoft.DurableTask;

namespace WildLong.Engine.Tests.Toys;

/// <summary>Runs <see cref="EchoActivity"/> for 1..N in parallel and sums the results (N(N+1)/2).</summary>
public sealed class FanOutOrchestrator : TaskOrchestrator<int, long>
{
    public override async Task<long> RunAsync(TaskOrchestrationContext context, int input)
    {
        var tasks = Enumerable.Range(1, input).Select(i => context.CallActivityAsync<int>(nameof(EchoActivity), i)).ToList();
        var results = await Task.WhenAll(tasks);
        return results.Sum(r => (long)r);
    }
}
