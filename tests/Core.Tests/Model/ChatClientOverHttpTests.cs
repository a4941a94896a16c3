using System.ClientModel;
using System.Text.Json;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using WildLong.Core.Model;
using WildLong.Core.Tests.Support;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace WildLong.Core.Tests.Model;

/// <summary>
/// Proves the LLM seam with the real client libraries over HTTP: the package combination in
/// Directory.Packages.props must work both through IChatClient and through the libraries' own ChatClient.
/// </summary>
public sealed class ChatClientOverHttpTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{"instruction":{"type":"string"},"score":{"type":["integer","null"]}},
         "required":["instruction","score"],"additionalProperties":false}
        """).RootElement;

    [Fact]
    public async Task OpenAI_client_sends_strict_schema_and_usage_is_recorded()
    {
        await using var server = await RecordingOpenAIServer.StartAsync(_ => """{"instruction":"Summarize the document.","score":4}""");
        var client = new OpenAIClient(new ApiKeyCredential(server.ApiKey), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") });
        var caller = TestLlm.Caller(client.GetChatClient("gpt-4o-mini").AsIChatClient());

        var result = await caller.CompleteJsonAsync("instruction", [new ChatMessage(ChatRole.User, "write one")], Schema, "instruction_answer", 200, 42, null, CancellationToken.None);

        Assert.True(result.Success, result.FailureReason);
        Assert.Equal("Summarize the document.", result.Value.GetProperty("instruction").GetString());
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.PathAndQuery);
        var format = request.Body["response_format"]!;
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        Assert.True(format["json_schema"]!["strict"]!.GetValue<bool>());
        Assert.Equal("instruction_answer", format["json_schema"]!["name"]!.GetValue<string>());
        Assert.Equal(200, (request.Body["max_completion_tokens"] ?? request.Body["max_tokens"])!.GetValue<int>());
        Assert.Equal(42, request.Body["seed"]!.GetValue<int>());
        Assert.DoesNotContain(LlmCaller.StageKey, request.Body.ToJsonString(), StringComparison.Ordinal);
        var usage = caller.Ledger.Snapshot()["instruction"];
        Assert.Equal((1, 1200, 1024, 34), (usage.Calls, usage.InputTokens, usage.CachedInputTokens, usage.OutputTokens));
    }

    [Fact]
    public async Task Azure_OpenAI_client_uses_deployment_route_and_api_key_through_IChatClient_and_natively()
    {
        await using var server = await RecordingOpenAIServer.StartAsync(_ => "The document is a contract.");
        var azure = new AzureOpenAIClient(server.BaseAddress, new ApiKeyCredential(server.ApiKey));
        var chat = azure.GetChatClient("my-deployment");

        var caller = TestLlm.Caller(chat.AsIChatClient());
        var viaSeam = await caller.CompleteTextAsync("answer", [new ChatMessage(ChatRole.User, "what is it?")], 100, null, CancellationToken.None);
        ClientResult<ChatCompletion> native = await chat.CompleteChatAsync([new UserChatMessage("what is it?")]);

        Assert.True(viaSeam.Success, viaSeam.FailureReason);
        Assert.Equal("The document is a contract.", viaSeam.Text);
        Assert.Equal("The document is a contract.", native.Value.Content[0].Text);
        Assert.All(server.Requests, r =>
        {
            Assert.StartsWith("/openai/deployments/my-deployment/chat/completions?api-version=", r.PathAndQuery, StringComparison.Ordinal);
            Assert.Equal(server.ApiKey, r.Credential);
        });
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Wrong_key_comes_back_as_a_failure_reason_not_an_exception()
    {
        await using var server = await RecordingOpenAIServer.StartAsync(_ => "unused");
        var client = new OpenAIClient(new ApiKeyCredential("wrong"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });
        var caller = TestLlm.Caller(client.GetChatClient("m").AsIChatClient());

        var result = await caller.CompleteTextAsync("answer", [new ChatMessage(ChatRole.User, "hi")], 50, null, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("401", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal(1, caller.Ledger.Snapshot()["answer"].FailedCalls);
    }
}
