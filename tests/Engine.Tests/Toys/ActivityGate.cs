namespace WildLong.Engine.Tests.Toys;

/// <summary>
/// Holds activities of one host back on a condition (open by default), so a test can stop a host with work in
/// flight, or force work onto a second host, without relying on timing.
/// </summary>
public sealed class ActivityGate
{
    private readonly TaskCompletionSource open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int held;

    /// <summary>Activities whose input is at least this wait for <see cref="Open"/>; null lets all through.</summary>
    public int? HoldFrom { get; init; }

    public static ActivityGate AlwaysOpen { get; } = new();

    /// <summary>How many activities have been held so far (including ones since let through).</summary>
    public int Held => Volatile.Read(ref held);

    public void Open() => open.TrySetResult();

    public Task WaitAsync(int input)
    {
        if (HoldFrom is not { } from || input < from || open.Task.IsCompleted)
        {
            return Task.CompletedTask;
        }

        Interlocked.Increment(ref held);
        return open.Task;
    }
}
