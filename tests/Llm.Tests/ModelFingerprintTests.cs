using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Core.DependencyInjection;
using WildLong.Core.Runner;

namespace WildLong.Llm.Tests;

/// <summary>
/// The model's part of the run fingerprint: provider, deployment, endpoint and API version start a new run; quotas,
/// concurrency, timeouts, retries, prices and the key do not, and neither does the simulator's (random) local port.
/// </summary>
public sealed class ModelFingerprintTests
{
    private static readonly (string, string)[] Azure =
    [
        ("WildLong:Model:Provider", ModelProviders.AzureOpenAI),
        ("WildLong:Model:Endpoint", "https://one.openai.azure.com/"),
        ("WildLong:Model:ApiKey", "key-1"),
        ("WildLong:Model:Deployment", "gpt-4o-mini"),
    ];

    [Theory]
    [InlineData("WildLong:Model:Deployment", "gpt-4o")]
    [InlineData("WildLong:Model:Endpoint", "https://two.openai.azure.com/")]
    [InlineData("WildLong:Model:ApiVersion", "2024-10-21")]
    [InlineData("WildLong:Model:Provider", ModelProviders.OpenAICompatible)]
    [InlineData("WildLong:Model:Provider", ModelProviders.Simulator)]
    public void Another_model_starts_a_new_run(string key, string value)
    {
        var baseline = Fingerprint(Azure);
        var changed = Fingerprint([.. Azure, (key, value)]);
        Assert.NotEqual(baseline.Hash, changed.Hash);
        Assert.NotEqual(RunIdentity.ForRun("q/", "d/", baseline), RunIdentity.ForRun("q/", "d/", changed));
    }

    [Theory]
    [InlineData("WildLong:Model:Tpm", "1000")]
    [InlineData("WildLong:Model:Rpm", "6")]
    [InlineData("WildLong:Model:MaxConcurrency", "128")]
    [InlineData("WildLong:Model:InitialConcurrency", "5")]
    [InlineData("WildLong:Model:RequestTimeout", "00:01:00")]
    [InlineData("WildLong:Model:MaxRetries", "2")]
    [InlineData("WildLong:Model:ApiKey", "key-2")]
    [InlineData("WildLong:Model:QuotaHeadroom", "0.2")]
    [InlineData("WildLong:Model:Pricing:InputPer1K", "9")]
    public void A_knob_that_cannot_change_an_answer_keeps_the_run(string key, string value)
        => Assert.Equal(Fingerprint(Azure).Hash, Fingerprint([.. Azure, (key, value)]).Hash);

    [Fact]
    public void The_simulator_is_one_endpoint_whatever_its_port()
    {
        var a = Fingerprint(("WildLong:Model:Provider", ModelProviders.Simulator), ("WildLong:Model:Endpoint", "http://127.0.0.1:41001/"));
        var b = Fingerprint(("WildLong:Model:Provider", ModelProviders.Simulator), ("WildLong:Model:Endpoint", "http://127.0.0.1:52002/"));
        Assert.Equal(a.Hash, b.Hash);
        Assert.Equal("true", a["simulated"]);
        Assert.Equal("simulator/gpt-4o-mini", a["model"]);
    }

    [Fact]
    public void The_parts_name_the_model_and_never_hold_the_key()
    {
        var fingerprint = Fingerprint(Azure);
        Assert.Equal("azure-openai/gpt-4o-mini", fingerprint["model"]);
        Assert.Equal("https://one.openai.azure.com:443", fingerprint["endpoint"]);
        Assert.Equal("false", fingerprint["simulated"]);
        Assert.DoesNotContain(fingerprint.Components, c => c.Value.Contains("key-1", StringComparison.Ordinal));
        Assert.DoesNotContain(ModelFingerprintContributor.Excluded, name => name == nameof(ModelOptions.Deployment) || name == nameof(ModelOptions.Provider));
    }

    private static RunFingerprint Fingerprint(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            values[key] = value; // later settings replace earlier ones, as configuration layers do
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection().AddWildLongMethod(configuration).AddWildLongModel(configuration).BuildServiceProvider();
        return services.GetRequiredService<RunFingerprintSource>().Create();
    }
}
