using DurableTask.Core;
using DurableTask.Core.History;

namespace WildLong.Engine.Backends;

/// <summary>
/// Repairs two things the gRPC sidecar hands to a backend that a serializing backend (Azure Storage) cannot store:
/// a protobuf <c>MapField</c> as <see cref="ExecutionStartedEvent.Tags"/> (written with type names that cannot be read
/// back), and its own subclass of <see cref="SubOrchestrationInstanceCreatedEvent"/> (persisted as a history row
/// without <c>EventType</c>). Both break sub-orchestrations; replacing them with the plain types loses only the
/// sub-orchestration's trace context.
/// </summary>
internal static class SidecarEventFixups
{
    /// <summary>Fixes the runtime state, messages and status of one orchestration episode in place.</summary>
    public static void Apply(
        OrchestrationRuntimeState runtimeState,
        IList<TaskMessage>? outboundMessages,
        IList<TaskMessage>? orchestratorMessages,
        IList<TaskMessage>? timerMessages,
        TaskMessage? continuedAsNewMessage,
        OrchestrationState? state)
    {
        ArgumentNullException.ThrowIfNull(runtimeState);
        // The same event object sits in Events and in NewEvents or PastEvents; each gets one replacement.
        var replaced = new Dictionary<HistoryEvent, HistoryEvent>(ReferenceEqualityComparer.Instance);
        FixEvents(runtimeState.Events, replaced);
        FixEvents(runtimeState.NewEvents, replaced);
        FixEvents(runtimeState.PastEvents, replaced);
        Apply(outboundMessages);
        Apply(orchestratorMessages);
        Apply(timerMessages);
        Apply(continuedAsNewMessage);
        if (state?.Tags is { } tags && NeedsCopy(tags))
        {
            state.Tags = Copy(tags);
        }
    }

    public static void Apply(IEnumerable<TaskMessage>? messages)
    {
        if (messages is null)
        {
            return;
        }

        foreach (var message in messages)
        {
            Apply(message);
        }
    }

    public static void Apply(TaskMessage? message)
    {
        if (message?.Event is ExecutionStartedEvent started)
        {
            Fix(started);
        }
    }

    private static void FixEvents(IList<HistoryEvent>? events, Dictionary<HistoryEvent, HistoryEvent> replaced)
    {
        if (events is null || events.IsReadOnly)
        {
            return;
        }

        for (var i = 0; i < events.Count; i++)
        {
            switch (events[i])
            {
                case ExecutionStartedEvent started:
                    Fix(started);
                    break;
                case SubOrchestrationInstanceCreatedEvent created when created.GetType() != typeof(SubOrchestrationInstanceCreatedEvent):
                    if (!replaced.TryGetValue(created, out var replacement))
                    {
                        replacement = ToBase(created);
                        replaced[created] = replacement;
                    }

                    events[i] = replacement;
                    break;
            }
        }
    }

    private static void Fix(ExecutionStartedEvent started)
    {
        if (started.Tags is { } tags && NeedsCopy(tags))
        {
            started.Tags = Copy(tags);
        }
    }

    private static SubOrchestrationInstanceCreatedEvent ToBase(SubOrchestrationInstanceCreatedEvent derived) => new(derived.EventId)
    {
        Timestamp = derived.Timestamp,
        IsPlayed = derived.IsPlayed,
        ExtensionData = derived.ExtensionData,
        Name = derived.Name,
        Version = derived.Version,
        InstanceId = derived.InstanceId,
        Input = derived.Input,
        ClientSpanId = derived.ClientSpanId,
        Tags = derived.Tags is { } tags ? Copy(tags) : null,
    };

    private static bool NeedsCopy(IDictionary<string, string> tags) => tags.GetType() != typeof(Dictionary<string, string>);

    private static Dictionary<string, string> Copy(IDictionary<string, string> tags) => new(tags, StringComparer.Ordinal);
}
