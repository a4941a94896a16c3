using Microsoft.Extensions.Options;

namespace WildLong.Llm.Tests;

/// <summary>A wrong model configuration fails at start-up with the configuration key in the message.</summary>
public sealed class ModelOptionsValidatorTests
{
    private static ModelOptions Valid(string provider) => new()
    {
        Provider = provider,
        Endpoint = new Uri("https://example.openai.azure.com/"),
        ApiKey = "k",
    };

    [Theory]
    [InlineData("azure-openai")]
    [InlineData("openai-compatible")]
    [InlineData("simulator")]
    public void Valid_configuration_has_no_errors(string provider)
        => Assert.Empty(ModelOptionsValidator.Errors(Valid(provider)));

    [Fact]
    public void Missing_endpoint_names_the_key_and_the_provider()
    {
        var options = Valid("azure-openai");
        options.Endpoint = null;

        var error = Assert.Single(ModelOptionsValidator.Errors(options));

        Assert.Equal("WildLong:Model:Endpoint is required for provider azure-openai.", error);
    }

    [Fact]
    public void Unknown_provider_lists_the_choices()
    {
        var options = Valid("azure");

        var error = Assert.Single(ModelOptionsValidator.Errors(options));

        Assert.Contains("WildLong:Model:Provider", error, StringComparison.Ordinal);
        Assert.Contains("azure-openai, openai-compatible, simulator", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_needs_a_key_unless_managed_identity_is_used()
    {
        var options = Valid("azure-openai");
        options.ApiKey = null;
        Assert.Contains(ModelOptionsValidator.Errors(options), e => e.StartsWith("WildLong:Model:ApiKey is required for provider azure-openai", StringComparison.Ordinal));

        options.UseManagedIdentity = true;
        Assert.Empty(ModelOptionsValidator.Errors(options));
    }

    [Fact]
    public void Managed_identity_is_rejected_for_other_providers()
    {
        var options = Valid("openai-compatible");
        options.UseManagedIdentity = true;

        Assert.Contains(ModelOptionsValidator.Errors(options), e => e.StartsWith("WildLong:Model:UseManagedIdentity", StringComparison.Ordinal));
    }

    [Fact]
    public void Api_version_must_be_one_the_library_knows()
    {
        var options = Valid("azure-openai");
        options.ApiVersion = "2024-10-21";
        Assert.Empty(ModelOptionsValidator.Errors(options));

        options.ApiVersion = "2019-01-01";
        var error = Assert.Single(ModelOptionsValidator.Errors(options));
        Assert.StartsWith("WildLong:Model:ApiVersion '2019-01-01'", error, StringComparison.Ordinal);
        Assert.Contains("2024-10-21", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrency_floor_of_one_is_rejected_because_429_storms_would_stall_the_run()
    {
        var options = Valid("simulator");
        options.MinConcurrency = 1;

        Assert.Contains(ModelOptionsValidator.Errors(options), e => e.StartsWith("WildLong:Model:MinConcurrency must be at least 2", StringComparison.Ordinal));
    }

    [Fact]
    public void Quota_timeouts_and_pricing_are_checked()
    {
        var options = Valid("simulator");
        options.Tpm = 0;
        options.RequestTimeout = TimeSpan.FromMinutes(10);
        options.TotalTimeout = TimeSpan.FromMinutes(1);
        options.Pricing.BatchDiscount = 1.5m;

        var errors = ModelOptionsValidator.Errors(options);

        Assert.Contains("WildLong:Model:Tpm must be positive (was 0).", errors);
        Assert.Contains(errors, e => e.StartsWith("WildLong:Model:TotalTimeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("WildLong:Model:Pricing:BatchDiscount", StringComparison.Ordinal));
    }

    [Fact]
    public void The_factory_refuses_invalid_options_with_every_error()
    {
        var options = Valid("openai-compatible");
        options.Endpoint = null;
        options.ApiKey = "";

        var ex = Assert.Throws<OptionsValidationException>(() => new ChatClientFactory(Options.Create(options), new Core.Model.UsageLedger()));

        Assert.Equal(2, ex.Failures.Count());
        Assert.Contains("WildLong:Model:Endpoint is required for provider openai-compatible.", ex.Failures);
    }

    [Fact]
    public void The_api_key_never_appears_in_validation_messages()
    {
        var options = Valid("azure-openai");
        options.ApiKey = "super-secret-key-123";
        options.Endpoint = null;
        options.Tpm = -1;

        Assert.All(ModelOptionsValidator.Errors(options), e => Assert.DoesNotContain("super-secret", e, StringComparison.Ordinal));
    }
}
