using System.Collections.Concurrent;

namespace WildLong.Engine.Tests.Toys;

/// <summary>
/// What one host's activities did, injected into them by constructor: proves the worker builds activities from the
/// host's services, and tells which host ran what when several share a task hub.
/// </summary>
public sealed class ActivityLog(string host)
{
    private readonly ConcurrentQueue<int> completed = new();

    public string Host { get; } = host;

    public int Count => completed.Count;

    public IReadOnlyCollection<int> Completed => completed.ToArray();

    public void Record(int input) => completed.Enqueue(input);
}
