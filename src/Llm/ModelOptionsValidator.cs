using Azure.AI.OpenAI;
using Microsoft.Extensions.Options;

namespace WildLong.Llm;

/// <summary>
/// Turns a wrong model configuration into an error that names the configuration key at start-up, instead of a 401,
/// a 404 or a stalled run an hour later. Used by <c>AddWildLongModel</c> (ValidateOnStart) and by
/// <see cref="ChatClientFactory"/> directly.
/// </summary>
public sealed class ModelOptionsValidator : IValidateOptions<ModelOptions>
{
    private const string Prefix = ModelOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, ModelOptions options)
    {
        var errors = Errors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem with <paramref name="options"/>, each naming its key; empty when valid.</summary>
    public static IReadOnlyList<string> Errors(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var provider = options.Provider?.Trim().ToLowerInvariant();
        if (provider is null || !ModelProviders.All.Contains(provider))
        {
            errors.Add($"{Prefix}Provider must be one of {string.Join(", ", ModelProviders.All)} (was '{options.Provider}').");
        }

        if (options.Endpoint is null)
        {
            errors.Add($"{Prefix}Endpoint is required for provider {provider ?? "(none)"}.");
        }
        else if (!options.Endpoint.IsAbsoluteUri || options.Endpoint.Scheme is not ("http" or "https"))
        {
            errors.Add($"{Prefix}Endpoint must be an absolute http(s) URL (was '{options.Endpoint}').");
        }

        if (provider == ModelProviders.AzureOpenAI)
        {
            if (!options.UseManagedIdentity && string.IsNullOrWhiteSpace(options.ApiKey))
            {
                errors.Add($"{Prefix}ApiKey is required for provider azure-openai unless {Prefix}UseManagedIdentity is true.");
            }

            if (options.ApiVersion is not null && TryParseApiVersion(options.ApiVersion) is null)
            {
                errors.Add($"{Prefix}ApiVersion '{options.ApiVersion}' is not supported by the client library; use one of {string.Join(", ", SupportedApiVersions())}.");
            }
        }
        else if (provider == ModelProviders.OpenAICompatible && string.IsNullOrWhiteSpace(options.ApiKey))
        {
            errors.Add($"{Prefix}ApiKey is required for provider openai-compatible (servers without auth accept any value).");
        }

        if (provider != ModelProviders.AzureOpenAI && options.UseManagedIdentity)
        {
            errors.Add($"{Prefix}UseManagedIdentity applies only to provider azure-openai.");
        }

        if (string.IsNullOrWhiteSpace(options.Deployment))
        {
            errors.Add($"{Prefix}Deployment is required (the Azure deployment name or the model name).");
        }

        Positive(errors, options.Tpm, "Tpm");
        Positive(errors, options.Rpm, "Rpm");
        Positive(errors, options.DefaultMaxOutputTokens, "DefaultMaxOutputTokens");
        if (options.MinConcurrency < 2)
        {
            errors.Add($"{Prefix}MinConcurrency must be at least 2 so a burst of 429s cannot collapse concurrency to one request (was {options.MinConcurrency}).");
        }

        if (options.MaxConcurrency < options.MinConcurrency)
        {
            errors.Add($"{Prefix}MaxConcurrency ({options.MaxConcurrency}) must be at least {Prefix}MinConcurrency ({options.MinConcurrency}).");
        }

        if (options.InitialConcurrency < options.MinConcurrency || options.InitialConcurrency > options.MaxConcurrency)
        {
            errors.Add($"{Prefix}InitialConcurrency ({options.InitialConcurrency}) must lie between MinConcurrency ({options.MinConcurrency}) and MaxConcurrency ({options.MaxConcurrency}).");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Prefix}RequestTimeout must be positive (was {options.RequestTimeout}).");
        }

        if (options.TotalTimeout < options.RequestTimeout)
        {
            errors.Add($"{Prefix}TotalTimeout ({options.TotalTimeout}) must be at least {Prefix}RequestTimeout ({options.RequestTimeout}).");
        }

        if (options.MaxRetries < 0)
        {
            errors.Add($"{Prefix}MaxRetries must not be negative (was {options.MaxRetries}).");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add($"{Prefix}RetryBaseDelay must be positive and {Prefix}RetryMaxDelay at least as long.");
        }

        if (options.QuotaShareInterval < TimeSpan.FromSeconds(1) || options.QuotaShareInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{Prefix}QuotaShareInterval must be from 1 second to 5 minutes (was {options.QuotaShareInterval}).");
        }

        if (options.QuotaHeadroom is < 0 or >= 0.5 || double.IsNaN(options.QuotaHeadroom))
        {
            errors.Add($"{Prefix}QuotaHeadroom must be in [0, 0.5) (was {options.QuotaHeadroom}).");
        }

        var pricing = options.Pricing;
        if (pricing is null)
        {
            errors.Add($"{Prefix}Pricing must not be null.");
        }
        else
        {
            if (pricing.InputPer1K < 0 || pricing.CachedInputPer1K < 0 || pricing.OutputPer1K < 0)
            {
                errors.Add($"{Prefix}Pricing prices must not be negative.");
            }

            if (pricing.BatchDiscount is < 0 or >= 1)
            {
                errors.Add($"{Prefix}Pricing:BatchDiscount must be in [0, 1) (was {pricing.BatchDiscount}).");
            }
        }

        return errors;
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem.</summary>
    public static void ThrowIfInvalid(ModelOptions options)
    {
        var errors = Errors(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(ModelOptions.SectionName, typeof(ModelOptions), errors);
        }
    }

    /// <summary>Maps <c>2024-10-21</c> or <c>2025-04-01-preview</c> to the client library's enum; null when unknown.</summary>
    internal static AzureOpenAIClientOptions.ServiceVersion? TryParseApiVersion(string apiVersion)
    {
        var name = "V" + apiVersion.Trim().Replace('-', '_');
        return Enum.TryParse<AzureOpenAIClientOptions.ServiceVersion>(name, ignoreCase: true, out var version) && Enum.IsDefined(version)
            ? version
            : null;
    }

    private static IEnumerable<string> SupportedApiVersions()
        => Enum.GetNames<AzureOpenAIClientOptions.ServiceVersion>().Select(n => n[1..].Replace('_', '-').ToLowerInvariant());

    private static void Positive(List<string> errors, int value, string key)
    {
        if (value <= 0)
        {
            errors.Add($"{Prefix}{key} must be positive (was {value}).");
        }
    }
}
