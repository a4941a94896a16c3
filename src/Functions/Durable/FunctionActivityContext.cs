using Microsoft.DurableTask;

namespace WildLong.Functions.Durable;

/// <summary>The activity context a wrapper hands to a pipeline activity: its name and the calling instance's id.</summary>
internal sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
{
    public override TaskName Name { get; } = name;

    public override string InstanceId { get; } = instanceId;
}
