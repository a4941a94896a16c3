namespace WildLong.Llm.Batch;

/// <summary>
/// Thrown by the response cache in batch mode for a request that is neither cached nor answered by a collected batch:
/// it has been recorded as a batch line (see <see cref="BatchDeferral"/>), and the unit of work that made it will run
/// again once the batch is collected. Never the end of an item: the activity discards the pass that saw it.
/// </summary>
public sealed class BatchAnswerPendingException : Exception
{
    public BatchAnswerPendingException()
        : base("the answer is pending in a batch")
    {
    }

    public BatchAnswerPendingException(string message)
        : base(message)
    {
    }

    public BatchAnswerPendingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
