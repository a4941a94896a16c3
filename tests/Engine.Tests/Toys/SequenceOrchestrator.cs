using Microsoft.DurableTask;

namespace WildLong.Engine.Tests.Toys;

/// <summary>Runs <see cref="EchoActivity"/> for 1..N one after another and sums the results; stops cleanly mid-way.</summary>
public sealed class SequenceOrchestrator : TaskOrchestrator<int, long>
{
    public override async Task<long> RunAsync(TaskOrchestrationContext context, int input)
    {
        long sum = 0;
        for (var i = 1; i <= input; i++)
        {
            context.SetCustomStatus(i);
            sum += await context.CallActivityAsync<int>(nameof(EchoActivity), i);
        }

        return sum;
    }
}
