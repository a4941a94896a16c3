using Microsoft.DurableTask;

namespace WildLong.Engine.Tests.Toys;

/// <summary>Always throws, so an orchestrator can show it sees the failure and carries on.</summary>
public sealed class FailingActivity : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input)
        => throw new InvalidOperationException($"boom: {input}");
}
