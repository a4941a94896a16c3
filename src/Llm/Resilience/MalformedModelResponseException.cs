namespace WildLong.Llm.Resilience;

/// <summary>
/// The model endpoint answered 200 with a body that does not parse. Kept distinct so the failure reason that reaches
/// quarantine says what happened, and so it is retried only a little (each attempt was charged; see
/// <see cref="TransientFailures.MalformedBodyRetries"/>).
/// </summary>
public sealed class MalformedModelResponseException : Exception
{
    public MalformedModelResponseException()
    {
    }

    public MalformedModelResponseException(string message)
        : base(message)
    {
    }

    public MalformedModelResponseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
