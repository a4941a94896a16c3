using Microsoft.DurableTask;

namespace WildLong.Engine.Tests.Toys;

/// <summary>Calls <see cref="FailingActivity"/>, catches the <see cref="TaskFailedException"/> and carries on with another activity.</summary>
public sealed class RecoveringOrchestrator : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        string caught;
        try
        {
            await context.CallActivityAsync<string>(nameof(FailingActivity), input);
            caught = "no failure";
        }
        catch (TaskFailedException ex)
        {
            caught = $"{ex.FailureDetails.ErrorType}|{ex.FailureDetails.ErrorMessage}";
        }

        var after = await context.CallActivityAsync<int>(nameof(EchoActivity), 7);
        return $"{caught}|{after}";
    }
}
