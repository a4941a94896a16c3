using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using WildLong.Core.Model;
using WildLong.Simulator.Tests.Support;

namespace WildLong.Simulator.Tests;

/// <summary>Every injected fault is observable by a client, counted in metrics, and reproducible from the fault seed.</summary>
public sealed class FaultInjectionTests
{
    private static readonly JsonNode Schema = JsonNode.Parse(StructuredOutputTests.Schema.GetRawText())!;

    private const string Question = "Please summarise the warranty terms of the purchase agreement and list the exclusions.";

    [Fact]
    public async Task Server_error_is_500_with_an_error_body()
    {
        await using var server = await Sim.StartAsync(o => o.Faults.ServerErrorRate = 1);
        using var http = Sim.Http(server);

        using var response = await Sim.PostChatAsync(http, Sim.ChatBody(Question));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.NotNull((await Sim.ReadJsonAsync(response))["error"]!["message"]);
        AssertCounted(server, FaultKind.ServerError);
    }

    [Fact]
    public async Task Service_unavailable_is_503_with_retry_after()
    {
        await using var server = await Sim.StartAsync(o => o.Faults.ServiceUnavailableRate = 1);
        using var http = Sim.Http(server);

        using var response = await Sim.PostChatAsync(http, Sim.ChatBody(Question));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1000", Sim.Header(response, "retry-after-ms"));
        AssertCounted(server, FaultKind.ServiceUnavailable);
    }

    [Fact]
    public async Task Connection_reset_aborts_the_connection()
    {
        await using var server = await Sim.StartAsync(o => o.Faults.ConnectionResetRate = 1);
        using var http = Sim.Http(server);

        await Assert.ThrowsAsync<HttpRequestException>(() => Sim.PostChatAsync(http, Sim.ChatBody(Question)));
        AssertCounted(server, FaultKind.ConnectionReset);
    }

    [Fact]
    public async Task Hang_never_answers_before_the_client_gives_up()
    {
        await using var server = await Sim.StartAsync(o => o.Faults.HangRate = 1);
        using var http = Sim.Http(server);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sim.PostChatAsync(http, Sim.ChatBody(Question), giveUp.Token));
        AssertCounted(server, FaultKind.Hang);
    }

    [Fact]
    public async Task Malformed_json_is_a_200_whose_body_does_not_parse()
    {
        await using var server = await Sim.StartAsync(o => o.Faults.MalformedJsonRate = 1);
        using var http = Sim.Http(server);

        using var response = await Sim.PostChatAsync(http, Sim.ChatBody(Question));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.ThrowsAny<JsonException>(() => JsonNode.Parse(body));
        AssertCounted(server, FaultKind.MalformedJson);
    }

    [Fact]
    public async Task Truncated_content_is_cut_short_with_finish_reason_length()
    {
        await using var healthy = await Sim.StartAsync();
        await using var server = await Sim.StartAsync(o => o.Faults.TruncatedContentRate = 1);
        using var healthyHttp = Sim.Http(healthy);
        using var http = Sim.Http(server);

        var full = await Sim.ReadJsonAsync(await Sim.PostChatAsync(healthyHttp, Sim.ChatBody(Question, maxTokens: 500)));
        var cut = await Sim.ReadJsonAsync(await Sim.PostChatAsync(http, Sim.ChatBody(Question, maxTokens: 500)));

        Assert.Equal("stop", full["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("length", cut["choices"]![0]!["finish_reason"]!.GetValue<string>());
        var fullText = full["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        var cutText = cut["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        Assert.True(cutText.Length < fullText.Length);
        Assert.StartsWith(cutText, fullText, StringComparison.Ordinal);
        AssertCounted(server, FaultKind.TruncatedContent);
    }

    [Fact]
    public async Task Schema_violation_is_valid_json_that_fails_validation()
    {
        await using var server = await Sim.StartAsync(o => o.Faults.SchemaViolationRate = 1);
        using var http = Sim.Http(server);

        var answer = await Sim.ReadJsonAsync(await Sim.PostChatAsync(http, Sim.ChatBody(Question, maxTokens: 1_000, schema: Schema.DeepClone())));

        var content = answer["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        using var instance = JsonDocument.Parse(content);
        Assert.NotEmpty(JsonSchemaInstanceValidator.Validate(StructuredOutputTests.Schema, instance.RootElement));
        AssertCounted(server, FaultKind.SchemaViolation);
    }

    [Fact]
    public async Task Faults_repeat_for_the_same_seed_and_requests_and_a_retry_gets_a_fresh_draw()
    {
        static async Task<List<int>> RunAsync(long seed)
        {
            await using var server = await Sim.StartAsync(o =>
            {
                o.Faults.Seed = seed;
                o.Faults.ServerErrorRate = 0.3;
                o.Faults.ServiceUnavailableRate = 0.2;
            });
            using var http = Sim.Http(server);
            var statuses = new List<int>();
            for (var i = 0; i < 12; i++)
            {
                using var response = await Sim.PostChatAsync(http, Sim.ChatBody($"Question number {i} about the report."));
                statuses.Add((int)response.StatusCode);
            }

            for (var retry = 0; retry < 12; retry++)
            {
                using var response = await Sim.PostChatAsync(http, Sim.ChatBody("The same question, retried."));
                statuses.Add((int)response.StatusCode);
            }

            return statuses;
        }

        var first = await RunAsync(11);
        var second = await RunAsync(11);
        var otherSeed = await RunAsync(12);

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
        var retries = first.Skip(12).ToList();
        Assert.Contains(200, retries);
        Assert.Contains(retries, s => s >= 500);
    }

    private static void AssertCounted(SimulatorServer server, FaultKind kind)
    {
        var faults = server.Metrics.Snapshot().Totals.Faults;
        Assert.Equal(1, faults.GetValueOrDefault(kind.ToString()));
        Assert.Equal(1, faults.Values.Sum());
    }
}
