using Microsoft.Extensions.Options;
using WildLong.Core.Pipeline;

namespace WildLong.Llm;

/// <summary>
/// Adds the model to the run fingerprint: provider and deployment, the endpoint (not for the simulator, whose
/// address is a fresh local port each time and whose answers do not depend on it), whether answers are simulated,
/// and the rest of <see cref="ModelOptions"/> hashed whole except the knobs in <see cref="Excluded"/>, which change
/// only speed, cost accounting or credentials, never an answer.
/// </summary>
public sealed class ModelFingerprintContributor(IOptions<ModelOptions> options) : IRunFingerprintContributor
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
        var model = options.Value;
        var simulated = string.Equals(model.Provider, ModelProviders.Simulator, StringComparison.OrdinalIgnoreCase);
        builder.AddValue("model", $"{model.Provider.ToLowerInvariant()}/{model.Deployment}")
            .AddValue("endpoint", simulated ? ModelProviders.Simulator : Endpoint(model.Endpoint))
            .AddValue("simulated", simulated ? "true" : "false")
            .AddOptions(ModelOptions.SectionName, model, Excluded);
    }

    /// <summary>Scheme, host, port and path, lower-case host, no trailing slash, no query (which may carry a key).</summary>
    private static string Endpoint(Uri? endpoint)
        => endpoint is null ? "-" : endpoint.IsAbsoluteUri ? endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') : endpoint.OriginalString.TrimEnd('/');
}
