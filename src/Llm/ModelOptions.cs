namespace WildLong.Llm;

/// <summary>
/// Where the model lives and how much of it we may use. The deployment's quota (tokens and requests per minute) is
/// the physical limit of a run and its price list is the cost of one, so both are configuration next to the endpoint.
/// <see cref="ApiKey"/> comes from configuration (user secrets, environment, Key Vault) and is never logged.
/// </summary>
public sealed class ModelOptions
{
    public const string SectionName = "WildLong:Model";

    /// <summary><c>azure-openai</c>, <c>openai-compatible</c> or <c>simulator</c> (see <see cref="ModelProviders"/>).</summary>
    public string Provider { get; set; } = ModelProviders.Simulator;

    /// <summary>Azure: the resource endpoint (<c>https://NAME.openai.azure.com/</c>); openai-compatible: the base URL
    /// including <c>/v1</c>; simulator: its root address.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>API key. Required unless <see cref="UseManagedIdentity"/> is set for azure-openai; the simulator
    /// defaults to its built-in key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Azure only: authenticate with Entra ID (DefaultAzureCredential, scope
    /// <c>https://cognitiveservices.azure.com/.default</c>) instead of a key.</summary>
    public bool UseManagedIdentity { get; set; }

    /// <summary>Azure only: client id of a user-assigned managed identity (null uses the default chain).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Azure deployment name, or the model name sent in the body for openai-compatible servers.</summary>
    public string Deployment { get; set; } = "gpt-4o-mini";

    /// <summary>Azure only: REST API version such as <c>2024-10-21</c>; null uses the client library's default.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>The deployment's tokens-per-minute quota.</summary>
    public int Tpm { get; set; } = 200_000;

    /// <summary>The deployment's requests-per-minute quota (Azure grants 6 per 1,000 TPM by default).</summary>
    public int Rpm { get; set; } = 1_200;

    /// <summary>Requests in flight at the start; adaptive concurrency moves between the floor and <see cref="MaxConcurrency"/>.</summary>
    public int InitialConcurrency { get; set; } = 16;

    /// <summary>Upper bound on requests in flight.</summary>
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>Lower bound on requests in flight after 429s; must be above 1 so a storm cannot stall the run.</summary>
    public int MinConcurrency { get; set; } = 4;

    /// <summary>Per-attempt timeout; minutes, because a 100K-token prompt with a long answer is slow.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Outer bound on one logical call including all retries and waits.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Transport retries after the first attempt (408, 429, 5xx, timeouts, connection errors).</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>Base delay of the jittered exponential backoff used when the server gives no retry-after.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Ceiling of one backoff delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Share of each quota window the limiter leaves unused, in [0, 0.5), for estimates that differ from the server's.</summary>
    public double QuotaHeadroom { get; set; } = 0.01;

    /// <summary>Output tokens charged at admission when a call sets no maximum (Azure charges its default too).</summary>
    public int DefaultMaxOutputTokens { get; set; } = 4_096;

    /// <summary>
    /// Whether the worker processes that call this deployment through one storage account share its TPM and RPM
    /// (split by demand, long calls taking turns, see <c>QuotaShareCoordinator</c>) instead of each taking all of it.
    /// Only where a storage account is configured (durable runs, workers, Functions).
    /// </summary>
    public bool ShareQuota { get; set; } = true;

    /// <summary>
    /// How often a worker writes its heartbeat into the deployment's quota pool and rebalances its share; a worker
    /// silent for three intervals (at least a token window and an interval) is dead. Short, because a long call's turn
    /// passes from one worker to the next in a heartbeat or two.
    /// </summary>
    public TimeSpan QuotaShareInterval { get; set; } = TimeSpan.FromSeconds(2);

    public ModelPricing Pricing { get; set; } = new();
}
