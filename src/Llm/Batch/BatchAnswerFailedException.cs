namespace WildLong.Llm.Batch;

/// <summary>
/// A batch request that ended without an answer for good — its line failed with a non-retryable error, failed twice,
/// or was still unanswered after the last pass; the message is the reason, which the stage quarantines with the item.
/// </summary>
public sealed class BatchAnswerFailedException : Exception
{
    public BatchAnswerFailedException()
        : base("the batch request failed")
    {
    }

    public BatchAnswerFailedException(string message)
        : base(message)
    {
    }

    public BatchAnswerFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
