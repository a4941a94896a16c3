namespace WildLong.Llm.Batch;

/// <summary>
/// Settings of the batch path (half the price of online calls, answers within a 24-hour window): which batch
/// provider a batch-mode run sends its requests to, the route written into each request line and sent as the batch
/// endpoint, the completion window, the per-file limits of the service (tests lower them to exercise splitting), and
/// how the durable orchestration waits (poll interval, passes). None of these change an answer, so none is part of
/// the run fingerprint; <c>WildLong:Llm:Mode</c> (online or batch) is.
/// </summary>
public sealed class GlobalBatchOptions
{
    public const string SectionName = "WildLong:Llm:Batch";

    /// <summary>The Azure OpenAI Global Batch / OpenAI Batch API of the configured model endpoint (the simulator has one too).</summary>
    public const string ServiceProvider = "service";

    /// <summary>Request files written to <see cref="Folder"/>; a result file in the OpenAI batch output format appears beside each.</summary>
    public const string FolderProvider = "batch-folder";

    /// <summary><see cref="ServiceProvider"/> (default) or <see cref="FolderProvider"/>.</summary>
    public string Provider { get; set; } = ServiceProvider;

    /// <summary>The folder of the <c>batch-folder</c> provider: <c>&lt;batch id&gt;.requests.jsonl</c> in, <c>&lt;batch id&gt;.results.jsonl</c> out.</summary>
    public string? Folder { get; set; }

    /// <summary>
    /// The <c>url</c> of every line and the batch <c>endpoint</c>: <c>/chat/completions</c> for Azure OpenAI,
    /// <c>/v1/chat/completions</c> for OpenAI, the Azure v1 API and vLLM.
    /// </summary>
    public string Endpoint { get; set; } = "/chat/completions";

    /// <summary>The completion window requested; Global Batch offers 24 hours.</summary>
    public string CompletionWindow { get; set; } = "24h";

    /// <summary>Most request lines per input file (service limit 100,000).</summary>
    public int MaxLinesPerFile { get; set; } = 100_000;

    /// <summary>Most bytes per input file (service limit 200 MB).</summary>
    public long MaxBytesPerFile { get; set; } = 200L * 1024 * 1024;

    /// <summary>Durable-timer wait between two looks at a running batch.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Batch passes per stage fan-out before what is still unanswered is quarantined. A stage needs one pass per link
    /// of its longest chain of dependent calls (generation: adapt, answer, judge, plus repair turns and re-pairings).
    /// </summary>
    public int MaxPasses { get; set; } = 24;

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the first invalid setting (checked before a run starts).</summary>
    public void Validate()
    {
        var provider = Provider?.Trim() ?? string.Empty;
        if (!provider.Equals(ServiceProvider, StringComparison.OrdinalIgnoreCase) && !provider.Equals(FolderProvider, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{SectionName}:Provider must be {ServiceProvider} or {FolderProvider} (was '{Provider}').");
        }

        if (provider.Equals(FolderProvider, StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(Folder))
        {
            throw new InvalidOperationException($"{SectionName}:Folder is required for provider {FolderProvider}.");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{SectionName}:PollInterval must be positive (was {PollInterval}).");
        }

        if (MaxPasses < 1 || MaxLinesPerFile < 1 || MaxBytesPerFile < 1)
        {
            throw new InvalidOperationException($"{SectionName}:MaxPasses, MaxLinesPerFile and MaxBytesPerFile must be at least 1.");
        }
    }
}
