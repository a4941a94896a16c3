namespace WildLong.Core.Common;

/// <summary>
/// The outcome of reading one record from a stream: a value, or the reason it was rejected. Readers yield these
/// instead of throwing so that a caller can quarantine the bad record and keep going.
/// </summary>
public readonly record struct ReadResult<T>(T? Value, QuarantineEntry? Error)
    where T : class
{
    public bool IsSuccess => Value is not null;

    public static ReadResult<T> Ok(T value) => new(value, null);

    public static ReadResult<T> Fail(QuarantineEntry error) => new(null, error);
}
