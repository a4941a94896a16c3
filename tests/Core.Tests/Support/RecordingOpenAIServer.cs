using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WildLong.Core.Tests.Support;

/// <summary>
/// A minimal OpenAI-compatible chat-completions endpoint on loopback Kestrel. It records each request (path,
/// headers, JSON body) and answers with the content a test supplies, so the real OpenAI and Azure OpenAI client
/// libraries can be exercised over HTTP. (The full simulator with quotas and faults is a separate project.)
/// </summary>
public sealed class RecordingOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private RecordingOpenAIServer(WebApplication app, Func<JsonNode, string> answer)
    {
        this.app = app;
        Answer = answer;
    }

    public Func<JsonNode, string> Answer { get; set; }

    public string ApiKey { get; } = "test-key-" + Guid.NewGuid().ToString("N")[..8];

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<RecordingOpenAIServer> StartAsync(Func<JsonNode, string> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new RecordingOpenAIServer(app, answer);
        Delegate handler = server.HandleAsync;
        app.MapPost("/v1/chat/completions", handler);
        app.MapPost("/openai/v1/chat/completions", handler);
        app.MapPost("/openai/deployments/{deployment}/chat/completions", handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body) ?? new JsonObject();
        var auth = context.Request.Headers["api-key"].ToString();
        if (string.IsNullOrEmpty(auth))
        {
            auth = context.Request.Headers.Authorization.ToString().Replace("Bearer ", string.Empty, StringComparison.Ordinal);
        }

        Requests.Enqueue(new RecordedRequest(context.Request.Path + context.Request.QueryString, auth, body));
        if (auth != ApiKey)
        {
            return Results.Json(new { error = new { code = "401", message = "Access denied due to invalid subscription key." } }, statusCode: 401);
        }

        var content = Answer(body);
        var response = new JsonObject
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = "recording-test-server",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = 1200,
                ["completion_tokens"] = 34,
                ["total_tokens"] = 1234,
                ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 1024 },
            },
        };
        return Results.Text(response.ToJsonString(), "application/json");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>One request as the server saw it.</summary>
public sealed record RecordedRequest(string PathAndQuery, string Credential, JsonNode Body);
