namespace WildLong.Core.Common;

/// <summary>Tiny async-stream helpers for readers that sometimes answer with a single error result.</summary>
internal static class AsyncSequence
{
    public static async IAsyncEnumerable<T> Single<T>(T item)
    {
        await Task.CompletedTask;
        yield return item;
    }
}
