using Microsoft.DurableTask;

namespace WildLong.Engine.Tests.Toys;

/// <summary>Returns its input after recording it in the host's <see cref="ActivityLog"/> (constructor injection).</summary>
public sealed class EchoActivity(ActivityLog log, ActivityGate gate) : TaskActivity<int, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, int input)
    {
        await gate.WaitAsync(input);
        log.Record(input);
        return input;
    }
}
