namespace WildLong.Testing;

/// <summary>Waits for a condition with a generous deadline (a wait, never a timing assertion).</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for: {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
        => HoldsAsync(() => Task.FromResult(condition()), what, timeout);
}
