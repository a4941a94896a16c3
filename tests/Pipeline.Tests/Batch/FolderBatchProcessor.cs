using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using WildLong.Simulator;

namespace WildLong.Pipeline.Tests.Batch;

/// <summary>
/// A small stand-in for vLLM's <c>run_batch</c> in a batch folder: answers each <c>*.requests.jsonl</c> by sending
/// its lines to the simulator's online endpoint and writes <c>*.results.jsonl</c> (OpenAI batch output format) under a
/// temporary name, then renames it. It misbehaves on purpose: the first request file is answered late (after
/// <see cref="LateBy"/>), and in it one line is replaced by garbage, one by a 500 error line, and one request
/// (<see cref="AlwaysFailing"/>) gets a 500 every time it is sent. It counts every answer it gave per custom_id.
/// </summary>
internal sealed class FolderBatchProcessor : IAsyncDisposable
{
    private readonly string folder;
    private readonly SimulatorServer simulator;
    private readonly HttpClient http = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly HashSet<string> done = new(StringComparer.Ordinal);
    private DateTimeOffset? firstSeen;

    public FolderBatchProcessor(string folder, SimulatorServer simulator, TimeSpan lateBy)
    {
        this.folder = folder;
        this.simulator = simulator;
        LateBy = lateBy;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", simulator.ApiKey);
        loop = Task.Run(() => RunAsync(stop.Token));
    }

    public TimeSpan LateBy { get; }

    /// <summary>Successful answers written per custom_id.</summary>
    public ConcurrentDictionary<string, int> Answered { get; } = new(StringComparer.Ordinal);

    /// <summary>How many times each custom_id was requested (over all request files).</summary>
    public ConcurrentDictionary<string, int> Requested { get; } = new(StringComparer.Ordinal);

    /// <summary>The custom_ids whose first answer was a garbage line and a 500 line.</summary>
    public List<string> SpoiledOnce { get; } = [];

    /// <summary>The custom_id that gets a 500 every time.</summary>
    public string? AlwaysFailing { get; private set; }

    /// <summary>Request files in the order they were answered.</summary>
    public List<string> Files { get; } = [];

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }

        http.Dispose();
        stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (Directory.Exists(folder))
            {
                foreach (var path in Directory.GetFiles(folder, "*.requests.jsonl").Order(StringComparer.Ordinal))
                {
                    if (done.Contains(path))
                    {
                        continue;
                    }

                    var first = Files.Count == 0;
                    if (first)
                    {
                        firstSeen ??= DateTimeOffset.UtcNow;
                        if (DateTimeOffset.UtcNow - firstSeen < LateBy)
                        {
                            continue;
                        }
                    }

                    await AnswerAsync(path, first, cancellationToken);
                    done.Add(path);
                    Files.Add(Path.GetFileName(path));
                }
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private async Task AnswerAsync(string path, bool first, CancellationToken cancellationToken)
    {
        var output = new StringBuilder();
        var lines = (await File.ReadAllLinesAsync(path, cancellationToken)).Where(l => l.Length > 0).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            var request = JsonNode.Parse(lines[i])!.AsObject();
            var customId = request["custom_id"]!.GetValue<string>();
            Requested.AddOrUpdate(customId, 1, (_, n) => n + 1);
            if (first && i == 0)
            {
                SpoiledOnce.Add(customId);
                output.Append("{\"id\": \"batch_req_x\", \"custom_id\": ").Append('\n');   // cut off: not JSON
                continue;
            }

            if (first && i == 1)
            {
                SpoiledOnce.Add(customId);
                output.Append(ErrorLine(customId)).Append('\n');
                continue;
            }

            if (first && i == 2)
            {
                AlwaysFailing = customId;
            }

            if (customId == AlwaysFailing)
            {
                output.Append(ErrorLine(customId)).Append('\n');
                continue;
            }

            var body = await CompleteAsync(request["body"]!.ToJsonString(), cancellationToken);
            output.Append(new JsonObject
            {
                ["id"] = "batch_req_" + i,
                ["custom_id"] = customId,
                ["response"] = new JsonObject { ["status_code"] = 200, ["request_id"] = "req_" + i, ["body"] = JsonNode.Parse(body) },
                ["error"] = null,
            }.ToJsonString()).Append('\n');
            Answered.AddOrUpdate(customId, 1, (_, n) => n + 1);
        }

        var results = path[..^".requests.jsonl".Length] + ".results.jsonl";
        await File.WriteAllTextAsync(results + ".tmp", output.ToString(), cancellationToken);
        File.Move(results + ".tmp", results);
    }

    private async Task<string> CompleteAsync(string body, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri(simulator.BaseAddress, "v1/chat/completions"), content, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(500, cancellationToken);
                continue;
            }

            response.EnsureSuccessStatusCode();
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
    }

    private static string ErrorLine(string customId) => new JsonObject
    {
        ["id"] = "batch_req_err",
        ["custom_id"] = customId,
        ["response"] = new JsonObject { ["status_code"] = 500, ["body"] = new JsonObject { ["error"] = new JsonObject { ["message"] = "engine crashed (test)" } } },
        ["error"] = new JsonObject { ["code"] = "server_error", ["message"] = "engine crashed (test)" },
    }.ToJsonString();
}
