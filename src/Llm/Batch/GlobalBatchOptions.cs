namespace WildLong.Llm.Batch;

/// <summary>
/// Settings of the Global Batch path (half the price of online calls, answers within a 24-hour window): the
/// route written into each request line and sent as the batch endpoint, the completion window, and the per-file
/// limits of the service (tests lower them to exercise splitting).
/// </summary>
public sealed class GlobalBatchOptions
{
    public const string SectionName = "WildLong:Llm:Batch";

    /// <summary>
    /// The <c>url</c> of every line and the batch <c>endpoint</c>: <c>/chat/completions</c> for Azure OpenAI,
    /// <c>/v1/chat/completions</c> for OpenAI and the Azure v1 API.
    /// </summary>
    public string Endpoint { get; set; } = "/chat/completions";

    /// <summary>The completion window requested; Global Batch offers 24 hours.</summary>
    public string CompletionWindow { get; set; } = "24h";

    /// <summary>Most request lines per input file (service limit 100,000).</summary>
    public int MaxLinesPerFile { get; set; } = 100_000;

    /// <summary>Most bytes per input file (service limit 200 MB).</summary>
    public long MaxBytesPerFile { get; set; } = 200L * 1024 * 1024;
}
