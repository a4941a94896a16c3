using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.AI;
using WildLong.Llm.Caching;

namespace WildLong.Llm.Tests.Caching;

/// <summary>
/// Who answers is part of the cache: the issue-13 repro (a cache filled through one endpoint, then the same requests
/// to an endpoint on another port) misses, an entry recorded under another identity is a miss, and the probe tells a
/// dead endpoint, a wrong base URL and the simulator apart.
/// </summary>
public sealed class ResponseCacheIdentityTests
{
    [Fact]
    public void The_identity_covers_port_path_deployment_and_api_version_but_not_the_simulators_port()
    {
        static string Of(string provider, string endpoint, string deployment = "gpt-4o-mini", string? version = null)
            => ModelIdentity.From(new ModelOptions { Provider = provider, Endpoint = new Uri(endpoint), Deployment = deployment, ApiVersion = version }).Text;

        var baseline = Of(ModelProviders.OpenAICompatible, "http://127.0.0.1:8000/v1");
        Assert.NotEqual(baseline, Of(ModelProviders.OpenAICompatible, "http://127.0.0.1:1/v1"));
        Assert.NotEqual(baseline, Of(ModelProviders.OpenAICompatible, "http://127.0.0.1:8000/other/v1"));
        Assert.NotEqual(baseline, Of(ModelProviders.OpenAICompatible, "http://127.0.0.1:8000/v1", "llama-3"));
        Assert.NotEqual(baseline, Of(ModelProviders.Simulator, "http://127.0.0.1:8000/"));
        Assert.Equal(baseline, Of(ModelProviders.OpenAICompatible, "http://127.0.0.1:8000/v1/"));
        Assert.NotEqual(Of(ModelProviders.AzureOpenAI, "https://a.openai.azure.com/", version: "2024-10-21"), Of(ModelProviders.AzureOpenAI, "https://a.openai.azure.com/", version: "2025-01-01-preview"));
        Assert.NotEqual(Of(ModelProviders.OpenAICompatible, "http://host:80/v1"), Of(ModelProviders.OpenAICompatible, "http://host:8080/v1"));
        Assert.Equal(Of(ModelProviders.Simulator, "http://127.0.0.1:41001/"), Of(ModelProviders.Simulator, "http://127.0.0.1:52002/"));
        Assert.True(ModelIdentity.From(new ModelOptions { Provider = ModelProviders.Simulator }).Simulated);
        Assert.False(ModelIdentity.From(new ModelOptions { Provider = ModelProviders.OpenAICompatible, Endpoint = new Uri("http://x/v1") }).Simulated);
    }

    [Fact]
    public async Task A_cache_filled_through_one_endpoint_is_not_served_to_an_endpoint_on_another_port()
    {
        await using var server = await CacheTestKit.StartSimulatorAsync();
        var store = new InMemoryResponseCacheStore();
        var messages = CacheTestKit.Messages("Who pays the rent? The tenant pays rent on the first day of each month.");
        var options = new ChatOptions { MaxOutputTokens = 100, Seed = 1 };
        var live = Identity(new Uri(server.BaseAddress, "v1"));
        var filled = CacheTestKit.Cache(CacheTestKit.SimulatorChat(server), store, modelIdentity: live);
        var first = await filled.GetResponseAsync(messages, options);
        Assert.Equal(1, store.Count);

        // The same requests, the same provider and host, another port: nothing listens there, so a hit would be a lie.
        var dead = new CacheTestKit.ScriptedChat((_, _) => throw new HttpRequestException("Connection refused"));
        var other = CacheTestKit.Cache(dead, store, modelIdentity: Identity(new Uri("http://127.0.0.1:1/v1")));
        await Assert.ThrowsAsync<HttpRequestException>(() => other.GetResponseAsync(messages, options));

        Assert.Equal(1, dead.Requests);
        Assert.NotEqual(filled.KeyFor(messages, options), other.KeyFor(messages, options));
        Assert.True(ResponseCachingChatClient.IsCacheHit(await filled.GetResponseAsync(messages, options)));
        Assert.False(ResponseCachingChatClient.IsCacheHit(first));
    }

    [Fact]
    public async Task An_entry_recorded_under_another_identity_is_a_miss_and_is_reported()
    {
        var store = new InMemoryResponseCacheStore();
        var chat = new CacheTestKit.ScriptedChat((_, _) => CacheTestKit.ScriptedChat.Reply("fresh"));
        var logger = new CacheTestKit.ListLogger<ResponseCachingChatClient>();
        var cache = CacheTestKit.Cache(chat, store, logger: logger, modelIdentity: Identity(new Uri("http://127.0.0.1:8000/v1")));
        var messages = CacheTestKit.Messages("Summarize the lease.");
        var key = cache.KeyFor(messages, null)!;
        await store.PutAsync(new CachedChatResponse { Key = key, Identity = "simulator|simulator|gpt-4o-mini|-|simulated", Text = "from the simulator", FinishReason = "stop" }, CancellationToken.None);

        var response = await cache.GetResponseAsync(messages);

        Assert.Equal("fresh", response.Text);
        Assert.False(ResponseCachingChatClient.IsCacheHit(response));
        Assert.Equal(1, chat.Requests);
        Assert.Contains(logger.Messages, m => m.Contains("simulator|simulator", StringComparison.Ordinal) && m.Contains("miss", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_stored_entry_records_who_answered()
    {
        var store = new InMemoryResponseCacheStore();
        var identity = Identity(new Uri("http://127.0.0.1:8000/v1"));
        var cache = CacheTestKit.Cache(new CacheTestKit.ScriptedChat((_, _) => CacheTestKit.ScriptedChat.Reply("ok")), store, modelIdentity: identity);
        var messages = CacheTestKit.Messages("Summarize the lease.");

        await cache.GetResponseAsync(messages);

        var entry = await store.GetAsync(cache.KeyFor(messages, null)!, CancellationToken.None);
        Assert.Equal(identity.Text, entry!.Identity);
        Assert.Equal(identity.Text, cache.Identity);
    }

    [Fact]
    public async Task The_probe_tells_a_dead_endpoint_a_wrong_base_url_and_the_simulator_apart()
    {
        var closedPort = ClosedPort();
        await using var server = await CacheTestKit.StartSimulatorAsync();

        var dead = await ModelEndpointProbe.ProbeAsync(Options(new Uri($"http://127.0.0.1:{closedPort}/v1"), ModelProviders.OpenAICompatible), TimeSpan.FromSeconds(5));
        var simulator = await ModelEndpointProbe.ProbeAsync(Options(new Uri(server.BaseAddress, "v1"), ModelProviders.OpenAICompatible, server.ApiKey), TimeSpan.FromSeconds(5));
        using var notFound = new StatusHandler(HttpStatusCode.NotFound);
        var wrongPath = await ModelEndpointProbe.ProbeAsync(Options(new Uri("http://models.test/"), ModelProviders.OpenAICompatible), TimeSpan.FromSeconds(5), notFound);
        using var unauthorized = new StatusHandler(HttpStatusCode.Unauthorized);
        var locked = await ModelEndpointProbe.ProbeAsync(Options(new Uri("http://models.test/v1"), ModelProviders.OpenAICompatible), TimeSpan.FromSeconds(5), unauthorized);

        Assert.False(dead.Reachable);
        Assert.False(string.IsNullOrWhiteSpace(dead.Error));
        Assert.True(simulator.Reachable);
        Assert.True(simulator.IsSimulator);
        Assert.False(wrongPath.Reachable);
        Assert.Contains("404", wrongPath.Error, StringComparison.Ordinal);
        Assert.True(locked.Reachable);
        Assert.False(locked.IsSimulator);
    }

    private static ModelIdentity Identity(Uri endpoint)
        => ModelIdentity.From(Options(endpoint, ModelProviders.OpenAICompatible));

    private static ModelOptions Options(Uri endpoint, string provider, string apiKey = "key")
        => new() { Provider = provider, Endpoint = endpoint, ApiKey = apiKey, Deployment = "gpt-4o-mini" };

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class StatusHandler(HttpStatusCode status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent("{}") });
    }
}
