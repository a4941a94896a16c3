using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Functions.DependencyInjection;

namespace WildLong.Functions.Tests.Support;

/// <summary>
/// The Functions app's services as Program.cs registers them, over the test collection's Azurite with tables and
/// containers unique to one test, and the simulator as model (never called by these tests).
/// </summary>
internal sealed class TestApp : IDisposable
{
    public TestApp(AzuriteFixture azurite, IDictionary<string, string?>? extra = null)
    {
        var suffix = AzuriteFixture.UniqueName("t");
        Containers = new Dictionary<string, string>
        {
            ["Queries"] = "q" + suffix,
            ["Documents"] = "d" + suffix,
            ["MetaInfo"] = "m" + suffix,
            ["Datasets"] = "ds" + suffix,
            ["Quarantine"] = "qr" + suffix,
            ["LlmCache"] = "c" + suffix,
        };
        var settings = new Dictionary<string, string?>
        {
            ["WildLong:Storage:ConnectionString"] = azurite.ConnectionString,
            ["WildLong:Storage:Tables:Runs"] = "Runs" + suffix,
            ["WildLong:Storage:Tables:Graph"] = "Graph" + suffix,
            ["WildLong:Storage:Tables:GraphShards"] = "Shards" + suffix,
            ["WildLong:Storage:Tables:Documents"] = "Docs" + suffix,
            ["WildLong:Storage:Tables:Usage"] = "Usage" + suffix,
            ["WildLong:Storage:Tables:BatchJobs"] = "Batch" + suffix,
            ["WildLong:Model:Provider"] = "simulator",
            ["WildLong:Model:Endpoint"] = "http://127.0.0.1:9/",
            ["WildLong:Model:ApiKey"] = "test",
            ["WildLong:Model:Deployment"] = "gpt-4o-mini",
        };
        foreach (var (kind, name) in Containers)
        {
            settings[$"WildLong:Storage:Containers:{kind}"] = name;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        Configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Services = new ServiceCollection().AddLogging().AddWildLongFunctionsApp(Configuration).BuildServiceProvider();
    }

    public IConfiguration Configuration { get; }

    public ServiceProvider Services { get; }

    public IReadOnlyDictionary<string, string> Containers { get; }

    /// <summary>The run shape the app passes to every orchestration it starts (one instance, so records compare equal).</summary>
    public WildLong.Pipeline.Runs.RunShape Shape => Get<WildLong.Pipeline.Runs.RunShape>();

    public T Create<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public void Dispose() => Services.Dispose();
}
