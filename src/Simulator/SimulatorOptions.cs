namespace WildLong.Simulator;

/// <summary>
/// Everything that makes the simulator behave like a particular Azure OpenAI resource: its deployments and their
/// quotas, the prompt-cache window, latency, fault rates, the key clients must present and the content seed.
/// Defaults give a fast, fault-free server suitable for tests and the quick-start demo.
/// </summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "WildLong:Simulator";

    /// <summary>Address to listen on; loopback by default.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port to listen on; 0 picks a free port (see <see cref="SimulatorServer.BaseAddress"/>).</summary>
    public int Port { get; set; }

    /// <summary>The key clients must send as <c>api-key</c> or <c>Authorization: Bearer</c>.</summary>
    public string ApiKey { get; set; } = "wildlong-simulator-key";

    /// <summary>Seed of the simulated content; the same request with the same seed gets the same answer.</summary>
    public long Seed { get; set; } = 2502_16684;

    /// <summary>The deployments served; any other deployment or model name answers 404.</summary>
    public List<DeploymentOptions> Deployments { get; set; } =
    [
        new("gpt-4o-mini"),
        new("gpt-4o"),
        new("gpt-4.1-mini"),
        new("gpt-4.1"),
    ];

    /// <summary>Output tokens charged at admission when a request sets no <c>max_tokens</c>.</summary>
    public int DefaultMaxTokens { get; set; } = 4_096;

    /// <summary>How long a prompt prefix stays cached, in minutes (Azure: 5–10).</summary>
    public int CacheWindowMinutes { get; set; } = 5;

    /// <summary>Upper bound on remembered prefix blocks across all deployments (oldest are evicted first).</summary>
    public int CacheCapacity { get; set; } = 200_000;

    /// <summary>How often the one-line metrics summary is logged; zero or negative disables it.</summary>
    public double MetricsLogIntervalSeconds { get; set; } = 60;

    public LatencyOptions Latency { get; set; } = new();

    public FaultOptions Faults { get; set; } = new();

    public BatchOptions Batch { get; set; } = new();

    /// <summary>Throws with a clear message when a setting is out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new ArgumentException("ApiKey must not be empty.");
        }

        if (Deployments.Count == 0)
        {
            throw new ArgumentException("At least one deployment is required.");
        }

        foreach (var deployment in Deployments)
        {
            if (string.IsNullOrWhiteSpace(deployment.Name) || deployment.TokensPerMinute <= 0 || deployment.RequestsPerMinute <= 0)
            {
                throw new ArgumentException($"Deployment '{deployment.Name}' needs a name and positive TPM and RPM.");
            }
        }

        if (Deployments.GroupBy(d => d.Name, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
        {
            throw new ArgumentException("Deployment names must be unique.");
        }

        if (CacheWindowMinutes is < 5 or > 10)
        {
            throw new ArgumentException("CacheWindowMinutes must be between 5 and 10 (Azure's prompt-cache lifetime).");
        }

        if (DefaultMaxTokens <= 0 || CacheCapacity <= 0 || Port is < 0 or > 65535)
        {
            throw new ArgumentException("DefaultMaxTokens and CacheCapacity must be positive and Port in 0..65535.");
        }

        double[] rates = [Faults.ServerErrorRate, Faults.ServiceUnavailableRate, Faults.ConnectionResetRate, Faults.HangRate,
            Faults.MalformedJsonRate, Faults.TruncatedContentRate, Faults.SchemaViolationRate];
        if (rates.Any(r => r is < 0 or > 1) || Faults.TotalRate > 1 + 1e-9)
        {
            throw new ArgumentException("Fault rates must each be in [0, 1] and sum to at most 1.");
        }

        if (Batch.LineFailureRate is < 0 or > 1 || Batch.LineDelayMs < 0)
        {
            throw new ArgumentException("Batch.LineFailureRate must be in [0, 1] and Batch.LineDelayMs non-negative.");
        }

        if (Latency.TimeToFirstTokenMs < 0 || Latency.PerOutputTokenMs < 0 || Latency.Jitter is < 0 or > 1 || Faults.HangSeconds < 0)
        {
            throw new ArgumentException("Latencies must be non-negative and Jitter in [0, 1].");
        }
    }
}
