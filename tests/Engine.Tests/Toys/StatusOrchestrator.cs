using Microsoft.DurableTask;

namespace WildLong.Engine.Tests.Toys;

/// <summary>Publishes a custom status, waits for the "go" event, publishes another and returns the event's payload.</summary>
public sealed class StatusOrchestrator : TaskOrchestrator<string, string>
{
    public const string EventName = "go";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        context.SetCustomStatus(new ToyStatus("waiting", input));
        var payload = await context.WaitForExternalEvent<string>(EventName);
        context.SetCustomStatus(new ToyStatus("done", payload));
        return $"{input}:{payload}";
    }
}

/// <summary>Custom status of <see cref="StatusOrchestrator"/>.</summary>
public sealed record ToyStatus(string Phase, string Detail);
