using System.ClientModel;
using System.Net;
using System.Text;
using OpenAI.Chat;
using WildLong.Simulator.Tests.Support;

namespace WildLong.Simulator.Tests;

/// <summary>The routes real clients use, and the 401/404/400 answers a real endpoint gives.</summary>
public sealed class RoutesAndAuthTests
{
    [Fact]
    public async Task Azure_client_on_the_deployment_route_gets_a_simulated_answer()
    {
        await using var server = await Sim.StartAsync();
        var chat = Sim.Azure(server).GetChatClient("gpt-4o");

        ClientResult<ChatCompletion> result = await chat.CompleteChatAsync([new UserChatMessage("What does the lease say about rent payments to the landlord?")]);

        Assert.Equal("wildlong-simulator/gpt-4o", result.Value.Model);
        Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
        Assert.False(string.IsNullOrWhiteSpace(result.Value.Content[0].Text));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("openai/v1")]
    public async Task OpenAI_client_on_v1_routes_takes_the_model_from_the_body(string prefix)
    {
        await using var server = await Sim.StartAsync();
        var client = new OpenAI.OpenAIClient(new ApiKeyCredential(server.ApiKey), new OpenAI.OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, prefix) });

        ClientResult<ChatCompletion> result = await client.GetChatClient("gpt-4.1-mini").CompleteChatAsync([new UserChatMessage("hello there, simulator")]);

        Assert.Equal("wildlong-simulator/gpt-4.1-mini", result.Value.Model);
    }

    [Fact]
    public async Task Wrong_or_missing_key_is_401_with_an_OpenAI_style_error()
    {
        await using var server = await Sim.StartAsync();
        var chat = Sim.OpenAI(server, key: "wrong-key").GetChatClient("gpt-4o-mini");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        using var missing = await Sim.PostChatAsync(anonymous, Sim.ChatBody("hi"));

        Assert.Equal(401, ex.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        var error = (await Sim.ReadJsonAsync(missing))["error"]!;
        Assert.Equal("401", error["code"]!.GetValue<string>());
        Assert.Contains("invalid subscription key", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_deployment_is_404_on_both_routes()
    {
        await using var server = await Sim.StartAsync();

        var azure = await Assert.ThrowsAsync<ClientResultException>(() => Sim.Azure(server).GetChatClient("no-such-deployment").CompleteChatAsync([new UserChatMessage("hi")]));
        var v1 = await Assert.ThrowsAsync<ClientResultException>(() => Sim.OpenAI(server).GetChatClient("no-such-model").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, azure.Status);
        Assert.Equal(404, v1.Status);
        Assert.Contains("DeploymentNotFound", v1.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all", "could not parse the JSON body")]
    [InlineData("""{"model":"gpt-4o-mini","messages":[]}""", "'messages' must be a non-empty array")]
    [InlineData("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "'max_tokens' must be a positive integer")]
    [InlineData("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x"}}}""", "json_schema.schema")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "'model' is a required property")]
    public async Task Bad_body_is_400_with_a_clear_message(string body, string expected)
    {
        await using var server = await Sim.StartAsync();
        using var http = Sim.Http(server);

        using var response = await http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await Sim.ReadJsonAsync(response))["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_are_listed_for_an_authorized_client()
    {
        await using var server = await Sim.StartAsync(o => o.Deployments = [new DeploymentOptions("alpha"), new DeploymentOptions("beta")]);

        var models = await Sim.OpenAI(server).GetOpenAIModelClient().GetModelsAsync();

        Assert.Equal(["alpha", "beta"], models.Value.Select(m => m.Id).Order().ToArray());
    }
}
