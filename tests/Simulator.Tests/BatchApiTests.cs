using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Files;
using WildLong.Simulator.Tests.Support;

namespace WildLong.Simulator.Tests;

/// <summary>The Files and Batch APIs: upload, run in the background, output and error files keyed by custom_id.</summary>
public sealed class BatchApiTests
{
    private static readonly string[] Terminal = ["completed", "failed", "cancelled", "expired"];

    [Fact]
    public async Task A_batch_runs_every_line_through_the_same_completion_logic_and_splits_output_and_errors()
    {
        await using var server = await Sim.StartAsync();
        using var http = Sim.Http(server);
        var fileClient = Sim.OpenAI(server).GetOpenAIFileClient();
        var bodies = new Dictionary<string, JsonObject>
        {
            ["q1"] = Sim.ChatBody("What are the termination clauses of the lease?", maxTokens: 300),
            ["q2"] = Sim.ChatBody("Summarize the warranty terms of the contract.", "gpt-4o", maxTokens: 300),
            ["q3"] = Sim.ChatBody("List the parties.", maxTokens: 300, schema: JsonNode.Parse("""{"type":"object","properties":{"parties":{"type":"array","items":{"type":"string"}}},"required":["parties"],"additionalProperties":false}""")),
            ["bad-model"] = Sim.ChatBody("Nobody serves this model.", "no-such-model"),
        };
        var jsonl = string.Join("\n", bodies.Select(b => new JsonObject { ["custom_id"] = b.Key, ["method"] = "POST", ["url"] = "/v1/chat/completions", ["body"] = b.Value.DeepClone() }.ToJsonString()));

        OpenAIFile input = await fileClient.UploadFileAsync(new BinaryData(Encoding.UTF8.GetBytes(jsonl)), "requests.jsonl", FileUploadPurpose.Batch);
        var batch = await CreateAndWaitAsync(http, input.Id);

        Assert.Equal("completed", batch["status"]!.GetValue<string>());
        Assert.Equal((4, 3, 1), Counts(batch));
        var output = await ReadLinesAsync(fileClient, batch["output_file_id"]!.GetValue<string>());
        var errors = await ReadLinesAsync(fileClient, batch["error_file_id"]!.GetValue<string>());
        Assert.Equal(["q1", "q2", "q3"], output.Select(l => l["custom_id"]!.GetValue<string>()).Order());
        var error = Assert.Single(errors);
        Assert.Equal("bad-model", error["custom_id"]!.GetValue<string>());
        Assert.Equal(404, error["response"]!["status_code"]!.GetValue<int>());

        // The same body sent online gets the same content: one completion logic for both paths.
        foreach (var line in output)
        {
            using var online = await Sim.PostChatAsync(http, bodies[line["custom_id"]!.GetValue<string>()]);
            var onlineContent = (await Sim.ReadJsonAsync(online))["choices"]![0]!["message"]!["content"]!.GetValue<string>();
            Assert.Equal(200, line["response"]!["status_code"]!.GetValue<int>());
            Assert.Equal(onlineContent, line["response"]!["body"]!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Line_failure_rate_sends_lines_to_the_error_file()
    {
        await using var server = await Sim.StartAsync(o => o.Batch.LineFailureRate = 1);
        using var http = Sim.Http(server);

        var inputId = await UploadAsync(http, Lines(3));
        var batch = await CreateAndWaitAsync(http, inputId);

        Assert.Equal("completed", batch["status"]!.GetValue<string>());
        Assert.Equal((3, 0, 3), Counts(batch));
        Assert.Null(batch["output_file_id"]);
        Assert.Equal(3, (await ReadLinesAsync(Sim.OpenAI(server).GetOpenAIFileClient(), batch["error_file_id"]!.GetValue<string>())).Count);
    }

    [Fact]
    public async Task An_invalid_input_file_fails_the_batch_with_line_numbers()
    {
        await using var server = await Sim.StartAsync();
        using var http = Sim.Http(server);

        var inputId = await UploadAsync(http, Lines(1) + "\n{not json}\n");
        var batch = await CreateAndWaitAsync(http, inputId);

        Assert.Equal("failed", batch["status"]!.GetValue<string>());
        Assert.Contains("line 2", batch["errors"]!["data"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_batch_ends_cancelled()
    {
        await using var server = await Sim.StartAsync(o => o.Batch.LineDelayMs = 600_000);
        using var http = Sim.Http(server);
        var inputId = await UploadAsync(http, Lines(3));
        var created = await PostJsonAsync(http, "v1/batches", new JsonObject { ["input_file_id"] = inputId, ["endpoint"] = "/v1/chat/completions", ["completion_window"] = "24h" });

        var cancelling = await PostJsonAsync(http, $"v1/batches/{created["id"]}/cancel", new JsonObject());
        var final = await WaitAsync(http, created["id"]!.GetValue<string>());

        Assert.Contains(cancelling["status"]!.GetValue<string>(), new[] { "cancelling", "cancelled" });
        Assert.Equal("cancelled", final["status"]!.GetValue<string>());
        Assert.Equal(0, final["request_counts"]!["completed"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_batch_past_its_completion_window_expires_and_reports_the_unrun_lines()
    {
        var time = new ManualTimeProvider();
        await using var server = await Sim.StartAsync(o => o.Batch.LineDelayMs = 200, time);
        using var http = Sim.Http(server);
        var inputId = await UploadAsync(http, Lines(3));
        var created = await PostJsonAsync(http, "v1/batches", new JsonObject { ["input_file_id"] = inputId, ["endpoint"] = "/v1/chat/completions", ["completion_window"] = "24h" });

        time.Advance(TimeSpan.FromHours(25));
        var final = await WaitAsync(http, created["id"]!.GetValue<string>());

        Assert.Equal("expired", final["status"]!.GetValue<string>());
        var errors = await ReadLinesAsync(Sim.OpenAI(server).GetOpenAIFileClient(), final["error_file_id"]!.GetValue<string>());
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal("batch_expired", e["error"]!["code"]!.GetValue<string>()));
        Assert.Equal(3, final["request_counts"]!["completed"]!.GetValue<int>() + errors.Count);
    }

    [Fact]
    public async Task Batch_routes_need_the_key_and_unknown_ids_are_404()
    {
        await using var server = await Sim.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        using var http = Sim.Http(server);

        using var unauthorized = await anonymous.GetAsync("v1/batches/batch_x");
        using var missing = await http.GetAsync("openai/batches/batch_x?api-version=2024-10-21");

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static string Lines(int count)
        => string.Join("\n", Enumerable.Range(0, count).Select(i =>
            new JsonObject { ["custom_id"] = $"r{i}", ["method"] = "POST", ["url"] = "/v1/chat/completions", ["body"] = Sim.ChatBody($"Question {i} about the annual report.", maxTokens: 100) }.ToJsonString()));

    private static async Task<string> UploadAsync(HttpClient http, string jsonl)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("batch"), "purpose" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(jsonl)), "file", "input.jsonl" },
        };
        using var response = await http.PostAsync("v1/files", form);
        response.EnsureSuccessStatusCode();
        return (await Sim.ReadJsonAsync(response))["id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> CreateAndWaitAsync(HttpClient http, string inputFileId)
    {
        var created = await PostJsonAsync(http, "v1/batches", new JsonObject { ["input_file_id"] = inputFileId, ["endpoint"] = "/v1/chat/completions", ["completion_window"] = "24h" });
        Assert.Contains(created["status"]!.GetValue<string>(), new[] { "validating", "in_progress", "completed", "failed" });
        return await WaitAsync(http, created["id"]!.GetValue<string>());
    }

    private static async Task<JsonNode> WaitAsync(HttpClient http, string id)
    {
        for (var poll = 0; poll < 600; poll++)
        {
            var batch = JsonNode.Parse(await http.GetStringAsync($"v1/batches/{id}"))!;
            if (Terminal.Contains(batch["status"]!.GetValue<string>()))
            {
                return batch;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"batch {id} did not finish");
    }

    private static async Task<JsonNode> PostJsonAsync(HttpClient http, string path, JsonObject body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return await Sim.ReadJsonAsync(response);
    }

    private static async Task<List<JsonNode>> ReadLinesAsync(OpenAIFileClient files, string fileId)
    {
        var content = (await files.DownloadFileAsync(fileId)).Value.ToString();
        return [.. content.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];
    }

    private static (int Total, int Completed, int Failed) Counts(JsonNode batch)
    {
        var counts = batch["request_counts"]!;
        return (counts["total"]!.GetValue<int>(), counts["completed"]!.GetValue<int>(), counts["failed"]!.GetValue<int>());
    }
}
