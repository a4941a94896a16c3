using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.AI.OpenAI;
using OpenAI;

namespace WildLong.Simulator.Tests.Support;

/// <summary>Starts simulators and builds the real clients against them, with client retries off so tests see every answer.</summary>
public static class Sim
{
    private static readonly JsonSerializerOptions MetricsJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Task<SimulatorServer> StartAsync(Action<SimulatorOptions>? configure = null, TimeProvider? time = null)
    {
        // Quota generous enough that only tests about quota meet it; they configure their own deployments.
        var options = new SimulatorOptions { MetricsLogIntervalSeconds = 0 };
        options.Deployments = [.. options.Deployments.Select(d => new DeploymentOptions(d.Name, 50_000_000, 500_000))];
        configure?.Invoke(options);
        return SimulatorServer.StartAsync(options, time ?? TimeProvider.System, null, CancellationToken.None);
    }

    public static OpenAIClient OpenAI(SimulatorServer server, string? key = null)
        => new(new ApiKeyCredential(key ?? server.ApiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(server.BaseAddress, "v1"),
            RetryPolicy = new ClientRetryPolicy(0),
        });

    public static AzureOpenAIClient Azure(SimulatorServer server, string? key = null)
        => new(server.BaseAddress, new ApiKeyCredential(key ?? server.ApiKey), new AzureOpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(0),
        });

    public static HttpClient Http(SimulatorServer server, string? key = null)
    {
        var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? server.ApiKey);
        return http;
    }

    /// <summary>POSTs a raw chat body to the v1 route.</summary>
    public static Task<HttpResponseMessage> PostChatAsync(HttpClient http, JsonNode body, CancellationToken ct = default)
        => http.PostAsync("v1/chat/completions", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), ct);

    public static JsonObject ChatBody(string userText, string model = "gpt-4o-mini", int? maxTokens = null, JsonNode? schema = null, string? system = null)
    {
        var messages = new JsonArray();
        if (system is not null)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = userText });
        var body = new JsonObject { ["model"] = model, ["messages"] = messages };
        if (maxTokens is not null)
        {
            body["max_tokens"] = maxTokens;
        }

        if (schema is not null)
        {
            body["response_format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject { ["name"] = "answer", ["strict"] = true, ["schema"] = schema },
            };
        }

        return body;
    }

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response)
        => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static string Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"header {name} missing");

    public static async Task<SimulatorMetricsSnapshot> MetricsOverHttpAsync(SimulatorServer server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var json = await http.GetStringAsync("metrics");
        return JsonSerializer.Deserialize<SimulatorMetricsSnapshot>(json, MetricsJson)!;
    }
}
