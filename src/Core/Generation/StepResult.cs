namespace WildLong.Core.Generation;

/// <summary>
/// The outcome of one model-backed step for one item (adapt, answer, judge): a value, or why there is none. Steps
/// return this instead of throwing so the batch stage can quarantine the item and carry on with the rest.
/// </summary>
public readonly record struct StepResult<T>(T? Value, string? FailureReason, string? Detail)
    where T : class
{
    public bool IsSuccess => Value is not null;

    public static StepResult<T> Ok(T value) => new(value, null, null);

    public static StepResult<T> Fail(string reason, string? detail = null) => new(null, reason, detail);
}
