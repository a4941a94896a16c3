using Microsoft.Extensions.Options;
using WildLong.Core.Runner;

namespace WildLong.Llm;

/// <summary>
/// Adds the model to the run fingerprint from its <see cref="ModelIdentity"/>: provider and deployment, the endpoint
/// with port and path (not for the simulator, whose address is a fresh local port each time and whose answers do not
/// depend on it), whether answers are simulated,
/// and the rest of <see cref="ModelOptions"/> hashed whole except the knobs in <see cref="Excluded"/>, which change
/// only speed, cost accounting or credentials, never an answer.
/// </summary>
public sealed class ModelFingerprintContributor(IOptions<ModelOptions> options, ModelIdentity identity) : IRunFingerprintContributor
{
    /// <summary>Properties of <see cref="ModelOptions"/> that cannot change the data (and the key, which must never be hashed into anything shown).</summary>
    public static IReadOnlyList<string> Excluded { get; } =
    [
        nameof(ModelOptions.Endpoint), // a part of its own, see Contribute
        nameof(ModelOptions.ApiKey),
        nameof(ModelOptions.UseManagedIdentity),
        nameof(ModelOptions.ManagedIdentityClientId),
        nameof(ModelOptions.Tpm),
        nameof(ModelOptions.Rpm),
        nameof(ModelOptions.InitialConcurrency),
        nameof(ModelOptions.MaxConcurrency),
        nameof(ModelOptions.MinConcurrency),
        nameof(ModelOptions.RequestTimeout),
        nameof(ModelOptions.TotalTimeout),
        nameof(ModelOptions.MaxRetries),
        nameof(ModelOptions.RetryBaseDelay),
        nameof(ModelOptions.RetryMaxDelay),
        nameof(ModelOptions.QuotaHeadroom),
        nameof(ModelOptions.DefaultMaxOutputTokens), // admission accounting only; every call sets its own maximum
        nameof(ModelOptions.Pricing),
    ];

    public void Contribute(RunFingerprintBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(identity);
        builder.AddValue("model", $"{identity.Provider}/{identity.Deployment}")
            .AddValue("endpoint", identity.Endpoint)
            .AddValue("simulated", identity.Simulated ? "true" : "false")
            .AddOptions(ModelOptions.SectionName, options.Value, Excluded);
    }
}
