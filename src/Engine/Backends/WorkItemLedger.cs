using System.Collections.Concurrent;

namespace WildLong.Engine.Backends;

/// <summary>
/// The work items of one kind that this process holds locked: a slot limit that makes the sidecar's fetch loop wait
/// (instead of the 500 ms sleep it takes when its own limit is reached), and a record of who finishes each item so a
/// stopping engine can hand the ones the worker will never answer back to the backend exactly once.
/// </summary>
internal sealed class WorkItemLedger<T>(int capacity) : IDisposable
    where T : class
{
    /// <summary>The most lock renewals in flight at once.</summary>
    public const int RenewalParallelism = 8;

    private const int Locked = 0;
    private const int Busy = 1;
    private const int Stopped = 2;
    private const int Renewing = 3;

    private readonly SemaphoreSlim slots = new(capacity, capacity);
    private readonly ConcurrentDictionary<T, Entry> entries = new(ReferenceEqualityComparer.Instance);
    private volatile bool stopping;

    public int Capacity { get; } = capacity;

    /// <summary>Items currently held (locked and not yet finished).</summary>
    public int Count => entries.Count;

    /// <summary>Waits for a free slot, then locks the next item; the slot is kept only when an item came back.</summary>
    public async Task<T?> LockAsync(Func<Task<T?>> lockNext, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        T? item;
        try
        {
            item = await lockNext();
        }
        catch
        {
            slots.Release();
            throw;
        }

        if (item is null)
        {
            slots.Release();
            return null;
        }

        entries[item] = new Entry();
        return item;
    }

    /// <summary>
    /// Claims <paramref name="item"/> for a completion or an abandon by the dispatcher. False when the stopping engine
    /// already handed it back (items no longer held once stopping count as handed back).
    /// </summary>
    public bool TryBegin(T item)
    {
        if (!entries.TryGetValue(item, out var entry))
        {
            return !stopping;
        }

        var spin = default(SpinWait);
        while (true)
        {
            var state = Volatile.Read(ref entry.State);
            if (state == Stopped)
            {
                return false;
            }

            if (state == Busy || Interlocked.CompareExchange(ref entry.State, Busy, Locked) == Locked)
            {
                return true;
            }

            spin.SpinOnce(); // a lock renewal in flight: the completion waits for it (both change the queue message)
        }
    }

    /// <summary>
    /// Renews the lock of every item held and not being finished through <paramref name="renew"/>, at most
    /// <see cref="RenewalParallelism"/> at a time: one pass must end well inside the lock's visibility timeout even
    /// when storage answers slowly (one after another, 32 renewals at a second each outlasted the 30-s lock and the
    /// activities were delivered a second time). An item is never renewed while it is completed, abandoned or handed
    /// back (those wait for the renewal). Returns the count renewed.
    /// </summary>
    public async Task<int> RenewAsync(Func<T, Task> renew, Action<T, Exception> onError)
    {
        var renewed = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = RenewalParallelism };
        await Parallel.ForEachAsync(entries, options, async (held, _) =>
        {
            var (item, entry) = held;
            if (Interlocked.CompareExchange(ref entry.State, Renewing, Locked) != Locked)
            {
                return;
            }

            try
            {
                await renew(item);
                Interlocked.Increment(ref renewed);
            }
            catch (Exception ex)
            {
                onError(item, ex);
            }
            finally
            {
                Volatile.Write(ref entry.State, Locked);
            }
        });

        return renewed;
    }

    /// <summary>Returns a claimed item to the locked state after its completion failed (an abandon follows).</summary>
    public void Revert(T item)
    {
        if (entries.TryGetValue(item, out var entry))
        {
            Interlocked.CompareExchange(ref entry.State, Locked, Busy);
        }
    }

    /// <summary>True when the stopping engine handed <paramref name="item"/> back (the dispatcher must not touch it).</summary>
    public bool IsStopped(T item) => entries.TryGetValue(item, out var entry) ? Volatile.Read(ref entry.State) == Stopped : stopping;

    /// <summary>Forgets <paramref name="item"/> and frees its slot (once, whoever calls).</summary>
    public void Finish(T item)
    {
        if (entries.TryRemove(item, out _))
        {
            slots.Release();
        }
    }

    /// <summary>
    /// Hands every item nobody is finishing back through <paramref name="handBack"/> (once each), then waits up to
    /// <paramref name="busyTimeout"/> for the items being completed. Returns the count handed back.
    /// </summary>
    public async Task<int> StopAsync(Func<T, Task> handBack, Action<T, Exception> onError, TimeSpan busyTimeout, CancellationToken cancellationToken)
    {
        stopping = true;
        var handedBack = 0;
        foreach (var (item, entry) in entries)
        {
            var spin = default(SpinWait);
            while (Volatile.Read(ref entry.State) == Renewing)
            {
                spin.SpinOnce();
            }

            if (Interlocked.CompareExchange(ref entry.State, Stopped, Locked) != Locked)
            {
                continue;
            }

            try
            {
                await handBack(item);
                handedBack++;
            }
            catch (Exception ex)
            {
                onError(item, ex);
            }
            finally
            {
                Finish(item);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(busyTimeout);
        try
        {
            while (entries.Values.Any(e => Volatile.Read(ref e.State) == Busy))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Whatever is still completing finishes on its own or is redelivered by the backend.
        }

        return handedBack;
    }

    public void Dispose() => slots.Dispose();

    private sealed class Entry
    {
        public int State = Locked;
    }
}
