using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WildLong.Core.Common;
using WildLong.Simulator.Generation;
using WildLong.Simulator.Http;

namespace WildLong.Simulator.Batches;

/// <summary>
/// The Files and Batch APIs (OpenAI and Azure shapes): upload a JSONL of chat requests, start a batch, poll it,
/// download output and error files keyed by <c>custom_id</c>. Lines run in the background through the same
/// completion logic as online requests; statuses go validating → in_progress → completed / failed / cancelled /
/// expired. Everything is held in memory for the life of the server.
/// </summary>
internal sealed class BatchEndpoints
{
    private readonly SimulatorOptions options;
    private readonly TimeProvider time;
    private readonly Func<HttpRequest, bool> authorize;
    private readonly CancellationToken stopping;
    private readonly ConcurrentDictionary<string, StoredFile> files = new();
    private readonly ConcurrentDictionary<string, BatchJob> batches = new();
    private readonly HashSet<string> deployments;
    private long sequence;

    public BatchEndpoints(SimulatorOptions options, TimeProvider time, Func<HttpRequest, bool> authorize, CancellationToken stopping)
    {
        this.options = options;
        this.time = time;
        this.authorize = authorize;
        this.stopping = stopping;
        deployments = new HashSet<string>(options.Deployments.Select(d => d.Name), StringComparer.OrdinalIgnoreCase);
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        foreach (var prefix in new[] { "/v1", "/openai", "/openai/v1" })
        {
            routes.MapPost(prefix + "/files", (HttpContext c) => Guarded(c, UploadAsync));
            routes.MapGet(prefix + "/files", (HttpContext c) => Guarded(c, ListFilesAsync));
            routes.MapGet(prefix + "/files/{id}", (HttpContext c, string id) => Guarded(c, ctx => GetFileAsync(ctx, id)));
            routes.MapGet(prefix + "/files/{id}/content", (HttpContext c, string id) => Guarded(c, ctx => GetFileContentAsync(ctx, id)));
            routes.MapPost(prefix + "/batches", (HttpContext c) => Guarded(c, CreateBatchAsync));
            routes.MapGet(prefix + "/batches/{id}", (HttpContext c, string id) => Guarded(c, ctx => GetBatchAsync(ctx, id)));
            routes.MapPost(prefix + "/batches/{id}/cancel", (HttpContext c, string id) => Guarded(c, ctx => CancelBatchAsync(ctx, id)));
        }
    }

    private Task Guarded(HttpContext context, Func<HttpContext, Task> handler)
        => authorize(context.Request) ? handler(context) : ChatCompletionEndpoint.WriteUnauthorizedAsync(context);

    private async Task UploadAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            await BadRequestAsync(context, "Files are uploaded as multipart/form-data with 'file' and 'purpose'.");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var file = form.Files["file"];
        var purpose = form["purpose"].ToString();
        if (file is null || string.IsNullOrEmpty(purpose))
        {
            await BadRequestAsync(context, "Both 'file' and 'purpose' are required.");
            return;
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, context.RequestAborted);
        var stored = Store(file.FileName, purpose, buffer.ToArray());
        await WriteJsonAsync(context, FileJson(stored));
    }

    private Task ListFilesAsync(HttpContext context)
        => WriteJsonAsync(context, new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. files.Values.OrderBy(f => f.CreatedAt).ThenBy(f => f.Id, StringComparer.Ordinal).Select(f => (JsonNode)FileJson(f))]),
        });

    private Task GetFileAsync(HttpContext context, string id)
        => files.TryGetValue(id, out var file) ? WriteJsonAsync(context, FileJson(file)) : NotFoundAsync(context, $"No such file: '{id}'.");

    private async Task GetFileContentAsync(HttpContext context, string id)
    {
        if (!files.TryGetValue(id, out var file))
        {
            await NotFoundAsync(context, $"No such file: '{id}'.");
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.Body.WriteAsync(file.Content, context.RequestAborted);
    }

    private async Task CreateBatchAsync(HttpContext context)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await BadRequestAsync(context, "We could not parse the JSON body of your request: " + ex.Message);
            return;
        }

        var inputFileId = body?["input_file_id"]?.GetValueKind() == JsonValueKind.String ? body["input_file_id"]!.GetValue<string>() : null;
        var endpoint = body?["endpoint"]?.GetValueKind() == JsonValueKind.String ? body["endpoint"]!.GetValue<string>() : null;
        var window = body?["completion_window"]?.GetValueKind() == JsonValueKind.String ? body["completion_window"]!.GetValue<string>() : null;
        if (inputFileId is null || endpoint is null || window is null)
        {
            await BadRequestAsync(context, "'input_file_id', 'endpoint' and 'completion_window' are required.");
            return;
        }

        if (endpoint is not ("/v1/chat/completions" or "/chat/completions"))
        {
            await BadRequestAsync(context, $"Unsupported endpoint '{endpoint}'; only chat completions are simulated.");
            return;
        }

        if (!window.EndsWith('h') || !int.TryParse(window[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var hours) || hours <= 0)
        {
            await BadRequestAsync(context, $"Invalid completion_window '{window}' (expected e.g. '24h').");
            return;
        }

        if (!files.ContainsKey(inputFileId))
        {
            await NotFoundAsync(context, $"No such file: '{inputFileId}'.");
            return;
        }

        var id = "batch_" + NextId();
        var job = new BatchJob(id, inputFileId, endpoint, window, Now(), TimeSpan.FromHours(hours));
        batches[id] = job;
        _ = Task.Run(() => RunAsync(job), CancellationToken.None);
        await WriteJsonAsync(context, BatchJson(job));
    }

    private Task GetBatchAsync(HttpContext context, string id)
        => batches.TryGetValue(id, out var job) ? WriteJsonAsync(context, BatchJson(job)) : NotFoundAsync(context, $"No such batch: '{id}'.");

    private async Task CancelBatchAsync(HttpContext context, string id)
    {
        if (!batches.TryGetValue(id, out var job))
        {
            await NotFoundAsync(context, $"No such batch: '{id}'.");
            return;
        }

        lock (job.Gate)
        {
            if (job.Status is "validating" or "in_progress")
            {
                job.Status = "cancelling";
                job.Cancel.Cancel();
            }
        }

        await WriteJsonAsync(context, BatchJson(job));
    }

    private async Task RunAsync(BatchJob job)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(job.Cancel.Token, stopping);
        var ct = linked.Token;
        var input = Encoding.UTF8.GetString(files[job.InputFileId].Content);
        var (lines, errors) = Validate(input);
        if (errors.Count > 0 || lines.Count == 0)
        {
            lock (job.Gate)
            {
                job.Status = job.Status == "cancelling" ? "cancelled" : "failed";
                job.FailureMessage = errors.Count > 0 ? string.Join("\n", errors) : "The input file has no requests.";
                job.FinishedAt = Now();
            }

            return;
        }

        lock (job.Gate)
        {
            job.Total = lines.Count;
            if (job.Status == "validating")
            {
                job.Status = "in_progress";
                job.InProgressAt = Now();
            }
        }

        var output = new StringBuilder();
        var failures = new StringBuilder();
        var expired = false;
        foreach (var (customId, body) in lines)
        {
            if (ct.IsCancellationRequested)
            {
                break;
            }

            if (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(job.CreatedAt) > job.Window)
            {
                expired = true;
                break;
            }

            if (options.Batch.LineDelayMs > 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(options.Batch.LineDelayMs), time, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var ok = ProcessLine(job, customId, body, output, failures);
            lock (job.Gate)
            {
                if (ok)
                {
                    job.Completed++;
                }
                else
                {
                    job.Failed++;
                }
            }
        }

        if (expired)
        {
            foreach (var (customId, _) in lines.Skip(job.Completed + job.Failed))
            {
                failures.Append(ErrorLine(customId, null, "batch_expired", "This request could not be executed before the completion window expired.")).Append('\n');
            }
        }

        lock (job.Gate)
        {
            if (output.Length > 0)
            {
                job.OutputFileId = Store(job.Id + "_output.jsonl", "batch_output", Encoding.UTF8.GetBytes(output.ToString())).Id;
            }

            if (failures.Length > 0)
            {
                job.ErrorFileId = Store(job.Id + "_error.jsonl", "batch_output", Encoding.UTF8.GetBytes(failures.ToString())).Id;
            }

            job.Status = expired ? "expired" : job.Status == "cancelling" ? "cancelled" : "completed";
            job.FinishedAt = Now();
        }
    }

    private bool ProcessLine(BatchJob job, string customId, JsonObject body, StringBuilder output, StringBuilder failures)
    {
        var request = ChatRequest.Parse(body, null, out var error);
        if (request is null)
        {
            failures.Append(ErrorLine(customId, 400, "invalid_request", error!)).Append('\n');
            return false;
        }

        if (!deployments.Contains(request.Deployment))
        {
            failures.Append(ErrorLine(customId, 404, "DeploymentNotFound", $"The API deployment '{request.Deployment}' does not exist.")).Append('\n');
            return false;
        }

        var draw = new DeterministicRandom(StableHash.Mix((ulong)options.Faults.Seed ^ 0xBA7C4UL, StableHash.Hash64(job.InputFileId + "\u0001" + customId))).NextDouble();
        if (draw < options.Batch.LineFailureRate)
        {
            failures.Append(ErrorLine(customId, 500, "server_error", "The server had an error while processing this request (simulated).")).Append('\n');
            return false;
        }

        var completion = CompletionGenerator.Generate(request, options.Seed, options.DefaultMaxTokens, FaultKind.None);
        // Counted as the online endpoint counts it: the messages and the response format's schema.
        var promptTokens = PromptTokens.CountPrompt(request.Messages) + (request.Schema is { } schema ? PromptTokens.Count(WildLong.Core.Model.SchemaText.Compact(schema)) : 0);
        var requestId = NextId();
        var line = new JsonObject
        {
            ["id"] = "batch_req_" + requestId,
            ["custom_id"] = customId,
            ["response"] = new JsonObject
            {
                ["status_code"] = 200,
                ["request_id"] = requestId,
                ["body"] = ChatCompletionJson.Completion("chatcmpl-sim" + requestId, Now(), request.Deployment, completion, promptTokens, 0),
            },
            ["error"] = null,
        };
        output.Append(line.ToJsonString(WildLongJson.Options)).Append('\n');
        return true;
    }

    /// <summary>Every line must be a JSON object with a unique custom_id and a body object; otherwise the batch fails.</summary>
    private static (List<(string CustomId, JsonObject Body)> Lines, List<string> Errors) Validate(string input)
    {
        var lines = new List<(string, JsonObject)>();
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in input.Split('\n'))
        {
            number++;
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(raw);
            }
            catch (JsonException ex)
            {
                errors.Add($"line {number}: not valid JSON ({ex.Message})");
                continue;
            }

            if (node is not JsonObject obj || obj["custom_id"]?.GetValueKind() != JsonValueKind.String || obj["body"] is not JsonObject body)
            {
                errors.Add($"line {number}: each line needs a string 'custom_id' and an object 'body'");
                continue;
            }

            var customId = obj["custom_id"]!.GetValue<string>();
            if (!seen.Add(customId))
            {
                errors.Add($"line {number}: duplicate custom_id '{customId}'");
                continue;
            }

            lines.Add((customId, (JsonObject)body.DeepClone()));
        }

        return (lines, errors);
    }

    private static string ErrorLine(string customId, int? status, string code, string message)
        => new JsonObject
        {
            ["id"] = "batch_req_" + StableHash.Hash64(customId).ToString("x16", CultureInfo.InvariantCulture),
            ["custom_id"] = customId,
            ["response"] = status is null ? null : new JsonObject
            {
                ["status_code"] = status,
                ["body"] = OpenAIError.Body(code, message, "invalid_request_error"),
            },
            ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
        }.ToJsonString(WildLongJson.Options);

    private StoredFile Store(string fileName, string purpose, byte[] content)
    {
        var file = new StoredFile("file-" + NextId(), fileName, purpose, content, Now());
        files[file.Id] = file;
        return file;
    }

    private static JsonObject FileJson(StoredFile file) => new()
    {
        ["id"] = file.Id,
        ["object"] = "file",
        ["bytes"] = file.Content.Length,
        ["created_at"] = file.CreatedAt,
        ["filename"] = file.FileName,
        ["purpose"] = file.Purpose,
        ["status"] = "processed",
        ["status_details"] = null,
    };

    private static JsonObject BatchJson(BatchJob job)
    {
        lock (job.Gate)
        {
            return new JsonObject
            {
                ["id"] = job.Id,
                ["object"] = "batch",
                ["endpoint"] = job.Endpoint,
                ["errors"] = job.FailureMessage is null ? null : new JsonObject
                {
                    ["object"] = "list",
                    ["data"] = new JsonArray([.. job.FailureMessage.Split('\n').Select(m => (JsonNode)new JsonObject { ["code"] = "invalid_request", ["message"] = m })]),
                },
                ["input_file_id"] = job.InputFileId,
                ["completion_window"] = job.CompletionWindow,
                ["status"] = job.Status,
                ["output_file_id"] = job.OutputFileId,
                ["error_file_id"] = job.ErrorFileId,
                ["created_at"] = job.CreatedAt,
                ["in_progress_at"] = job.InProgressAt,
                ["expires_at"] = job.CreatedAt + (long)job.Window.TotalSeconds,
                ["completed_at"] = job.Status == "completed" ? job.FinishedAt : null,
                ["failed_at"] = job.Status == "failed" ? job.FinishedAt : null,
                ["expired_at"] = job.Status == "expired" ? job.FinishedAt : null,
                ["cancelled_at"] = job.Status == "cancelled" ? job.FinishedAt : null,
                ["request_counts"] = new JsonObject { ["total"] = job.Total, ["completed"] = job.Completed, ["failed"] = job.Failed },
                ["metadata"] = null,
            };
        }
    }

    private string NextId() => Interlocked.Increment(ref sequence).ToString("x8", CultureInfo.InvariantCulture)
        + StableHash.Mix((ulong)options.Seed, (ulong)sequence).ToString("x8", CultureInfo.InvariantCulture)[..8];

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    private static Task WriteJsonAsync(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(WildLongJson.Options), context.RequestAborted);
    }

    private static Task BadRequestAsync(HttpContext context, string message)
        => OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_request", message, "invalid_request_error");

    private static Task NotFoundAsync(HttpContext context, string message)
        => OpenAIError.WriteAsync(context, StatusCodes.Status404NotFound, "not_found", message, "invalid_request_error");
}
