using WildLong.Engine.Backends;

namespace WildLong.Engine.Tests;

/// <summary>The record of locked work items: renewal passes and what they leave alone.</summary>
public sealed class WorkItemLedgerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_renewal_pass_renews_several_locks_at_once_but_never_more_than_its_parallelism()
    {
        using var ledger = new WorkItemLedger<object>(32);
        var items = Enumerable.Range(0, 20).Select(_ => new object()).ToList();
        foreach (var item in items)
        {
            await ledger.LockAsync(() => Task.FromResult<object?>(item), CancellationToken.None);
        }

        // Every renewal waits until a full batch is in flight: one after another, the pass would never get past the first.
        var inFlight = 0;
        var most = 0;
        var batchStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pass = ledger.RenewAsync(
            async item =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                if (now == WorkItemLedger<object>.RenewalParallelism)
                {
                    batchStarted.TrySetResult();
                }

                await release.Task;
                Interlocked.Decrement(ref inFlight);
            },
            (_, ex) => throw ex);

        await batchStarted.Task.WaitAsync(Generous);
        release.SetResult();
        Assert.Equal(items.Count, await pass.WaitAsync(Generous));
        Assert.Equal(WorkItemLedger<object>.RenewalParallelism, Volatile.Read(ref most));
    }

    [Fact]
    public async Task A_renewal_pass_skips_items_being_finished_and_reports_failures_per_item()
    {
        using var ledger = new WorkItemLedger<string>(8);
        foreach (var item in new[] { "completing", "failing", "held" })
        {
            await ledger.LockAsync(() => Task.FromResult<string?>(item), CancellationToken.None);
        }

        Assert.True(ledger.TryBegin("completing"));
        var renewedItems = new List<string>();
        var failed = new List<string>();
        var renewed = await ledger.RenewAsync(
            item =>
            {
                if (item == "failing")
                {
                    throw new InvalidOperationException("storage said no");
                }

                lock (renewedItems)
                {
                    renewedItems.Add(item);
                }

                return Task.CompletedTask;
            },
            (item, _) => failed.Add(item));

        Assert.Equal(1, renewed);
        Assert.Equal(["held"], renewedItems);
        Assert.Equal(["failing"], failed);

        // A failed renewal leaves the item held and renewable: the next pass tries it again.
        Assert.True(ledger.TryBegin("failing"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
