namespace WildLong.Llm.Batch;

/// <summary>
/// Thrown by the response cache in batch mode for a request that is neither cached nor answered by a collected batch:
/// it has been recorded as a batch line (see <see cref="BatchDeferral"/>), and the unit of work that made it will run
/// again once the batch is collected. Never the end of an item: the activity discards the pass that saw it. Marked
/// with <see cref="Core.Model.LlmCaller.DeferredKey"/>, so the caller neither logs nor counts it as a failed call.
/// </summary>
public sealed class BatchAnswerPendingException : Exception
{
    public BatchAnswerPendingException()
        : base("the answer is pending in a batch")
    {
        Data[Core.Model.LlmCaller.DeferredKey] = true;
    }

    public BatchAnswerPendingException(string message)
        : base(message)
    {
        Data[Core.Model.LlmCaller.DeferredKey] = true;
    }

    public BatchAnswerPendingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Data[Core.Model.LlmCaller.DeferredKey] = true;
    }
}
