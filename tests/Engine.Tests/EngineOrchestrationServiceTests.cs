using System.Reflection;
using DurableTask.Core;
using DurableTask.Core.History;
using Google.Protobuf.Collections;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Dispatcher;
using Microsoft.Extensions.Logging.Abstractions;
using WildLong.Engine.Backends;

namespace WildLong.Engine.Tests;

/// <summary>The decorator between sidecar and backend, against the real in-memory backend.</summary>
public sealed class EngineOrchestrationServiceTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Fetching_waits_for_a_free_activity_slot_instead_of_reporting_the_backend_limit()
    {
        var (memory, engine) = Create(maxActivities: 2);
        using var _ = engine;
        await ScheduleActivitiesAsync(memory, 3);

        var first = await engine.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);
        var second = await engine.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);
        var third = engine.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);

        Assert.False(third.IsCompleted);
        Assert.Equal(4, engine.MaxConcurrentTaskActivityWorkItems);
        await engine.CompleteTaskActivityWorkItemAsync(first, Completed(first));
        var next = await third.WaitAsync(Generous);
        Assert.NotNull(next);
        Assert.Equal(2, engine.ActiveActivities);
        Assert.NotSame(second, next);
    }

    [Fact]
    public async Task Stopping_hands_unanswered_activities_back_to_the_backend_once()
    {
        var (memory, engine) = Create(maxActivities: 4);
        using var _ = engine;
        await ScheduleActivitiesAsync(memory, 1);
        var locked = await engine.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);

        await engine.ShutdownAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        await engine.AbandonTaskActivityWorkItemAsync(locked);
        var late = await Record.ExceptionAsync(() => engine.CompleteTaskActivityWorkItemAsync(locked, Completed(locked)));

        using var cts = new CancellationTokenSource(Generous);
        var again = await memory.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, cts.Token);
        Assert.Equal(((TaskScheduledEvent)locked.TaskMessage.Event).Name, ((TaskScheduledEvent)again.TaskMessage.Event).Name);
        Assert.IsType<OperationCanceledException>(late);
        Assert.Equal(0, engine.ActiveActivities);
        using var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => memory.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, none.Token));
    }

    [Fact]
    public async Task Held_activity_locks_are_renewed_until_the_activity_completes_and_not_after()
    {
        var memory = new InMemoryOrchestrationService();
        var counting = DispatchProxy.Create<IOrchestrationService, RenewalCounter>();
        ((RenewalCounter)(object)counting).Target = memory;
        using var engine = new EngineOrchestrationService(counting, memory, 4, 4, NullLogger.Instance, TimeSpan.FromMilliseconds(100));
        await engine.StartAsync();
        await ScheduleActivitiesAsync(memory, 1);
        var locked = await engine.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);

        var deadline = DateTime.UtcNow + Generous;
        while (engine.LockRenewals < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await engine.CompleteTaskActivityWorkItemAsync(locked, Completed(locked));
        var afterCompletion = ((RenewalCounter)(object)counting).Renewals;
        await Task.Delay(500);

        Assert.True(engine.LockRenewals >= 2, $"{engine.LockRenewals} renewals");
        Assert.Equal(afterCompletion, ((RenewalCounter)(object)counting).Renewals);
        await engine.ShutdownAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    [Fact]
    public void Sidecar_events_are_replaced_by_types_a_serializing_backend_can_read_back()
    {
        var tags = new MapField<string, string> { ["k"] = "v" };
        var started = new ExecutionStartedEvent(-1, "in")
        {
            Name = "parent",
            OrchestrationInstance = new OrchestrationInstance { InstanceId = "p", ExecutionId = "e" },
            Tags = tags,
        };
        var state = new OrchestrationRuntimeState([started]);
        state.AddEvent(new GrpcSubOrchestrationInstanceCreatedEvent(3) { Name = "child", InstanceId = "c", Input = "x", Version = "1" });
        var childStart = new TaskMessage { Event = new ExecutionStartedEvent(-1, "x") { Tags = new MapField<string, string> { ["a"] = "b" } } };
        var status = new OrchestrationState { Tags = tags };

        SidecarEventFixups.Apply(state, [], [childStart], [], null, status);

        var created = Assert.Single(state.NewEvents);
        Assert.Equal(typeof(SubOrchestrationInstanceCreatedEvent), created.GetType());
        Assert.Equal((3, "child", "c", "x", "1"), (created.EventId, ((SubOrchestrationInstanceCreatedEvent)created).Name, ((SubOrchestrationInstanceCreatedEvent)created).InstanceId, ((SubOrchestrationInstanceCreatedEvent)created).Input, ((SubOrchestrationInstanceCreatedEvent)created).Version));
        Assert.Same(created, state.Events[^1]);
        Assert.IsType<Dictionary<string, string>>(state.ExecutionStartedEvent!.Tags);
        Assert.Equal("v", state.ExecutionStartedEvent.Tags["k"]);
        Assert.IsType<Dictionary<string, string>>(((ExecutionStartedEvent)childStart.Event).Tags);
        Assert.IsType<Dictionary<string, string>>(status.Tags);
    }

    /// <summary>Passes every call to the backend and counts activity lock renewals.</summary>
    public class RenewalCounter : DispatchProxy
    {
        private int renewals;

        public object? Target { get; set; }

        public int Renewals => Volatile.Read(ref renewals);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name == nameof(IOrchestrationService.RenewTaskActivityWorkItemLockAsync))
            {
                Interlocked.Increment(ref renewals);
            }

            return targetMethod!.Invoke(Target, args);
        }
    }

    private static (InMemoryOrchestrationService Memory, EngineOrchestrationService Engine) Create(int maxActivities)
    {
        var memory = new InMemoryOrchestrationService();
        return (memory, new EngineOrchestrationService(memory, memory, maxActivities, 4, NullLogger.Instance));
    }

    private static async Task ScheduleActivitiesAsync(InMemoryOrchestrationService memory, int count)
    {
        // An orchestration episode that schedules `count` activities, committed straight to the backend.
        var instance = new OrchestrationInstance { InstanceId = Guid.NewGuid().ToString("N"), ExecutionId = "e" };
        await memory.CreateTaskOrchestrationAsync(new TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new ExecutionStartedEvent(-1, null) { Name = "toy", OrchestrationInstance = instance },
        });
        using var cts = new CancellationTokenSource(Generous);
        var workItem = await memory.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, cts.Token);
        foreach (var message in workItem.NewMessages)
        {
            workItem.OrchestrationRuntimeState.AddEvent(message.Event);
        }

        var activities = Enumerable.Range(0, count)
            .Select(i => new TaskMessage { OrchestrationInstance = instance, Event = new TaskScheduledEvent(i, "echo", null, i.ToString(System.Globalization.CultureInfo.InvariantCulture)) })
            .ToList();
        await memory.CompleteTaskOrchestrationWorkItemAsync(workItem, workItem.OrchestrationRuntimeState, activities, [], [], null!, null!);
        await memory.ReleaseTaskOrchestrationWorkItemAsync(workItem);
    }

    private static TaskMessage Completed(TaskActivityWorkItem item) => new()
    {
        OrchestrationInstance = item.TaskMessage.OrchestrationInstance,
        Event = new TaskCompletedEvent(-1, item.TaskMessage.Event.EventId, "0"),
    };
}
