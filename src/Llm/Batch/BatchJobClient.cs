using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Batch;
using OpenAI.Chat;
using OpenAI.Files;
using WildLong.Core.Common;

// The OpenAI library marks its Batch client experimental (OPENAI001); the Batch REST API itself is stable and
// the protocol methods used here are a thin layer over it.
#pragma warning disable OPENAI001

namespace WildLong.Llm.Batch;

/// <summary>
/// The Global Batch steps as separate, stateless calls (upload, submit, poll once, collect, plan a resubmission),
/// so a durable orchestration can run each in an activity and wait between polls with timers instead of a loop.
/// Works with the OpenAI and Azure OpenAI clients (their file and batch clients) and with the simulator.
/// </summary>
public sealed class BatchJobClient
{
    private readonly OpenAIFileClient files;
    private readonly BatchClient batches;
    private readonly GlobalBatchOptions options;
    private readonly BatchRequestWriter writer;
    private readonly ILogger<BatchJobClient> logger;

    public BatchJobClient(OpenAIFileClient files, BatchClient batches, IOptions<GlobalBatchOptions> options, ILogger<BatchJobClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.files = files ?? throw new ArgumentNullException(nameof(files));
        this.batches = batches ?? throw new ArgumentNullException(nameof(batches));
        this.options = options.Value;
        writer = new BatchRequestWriter(options);
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>A client over the file and batch clients of <paramref name="client"/> (an <c>OpenAIClient</c> or <c>AzureOpenAIClient</c>).</summary>
    public static BatchJobClient Create(OpenAIClient client, IOptions<GlobalBatchOptions> options, ILogger<BatchJobClient> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new BatchJobClient(client.GetOpenAIFileClient(), client.GetBatchClient(), options, logger);
    }

    /// <summary>Uploads a request file (purpose <c>batch</c>) and returns its file id.</summary>
    public async Task<string> UploadAsync(string requestFilePath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestFilePath);
        await using var stream = File.OpenRead(requestFilePath);
        var uploaded = await files.UploadFileAsync(stream, Path.GetFileName(requestFilePath), FileUploadPurpose.Batch, cancellationToken);
        return uploaded.Value.Id;
    }

    /// <summary>Starts a batch over an uploaded input file with the configured endpoint and completion window (24h).</summary>
    public async Task<BatchJobStatus> SubmitAsync(string inputFileId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputFileId);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["input_file_id"] = inputFileId,
            ["endpoint"] = options.Endpoint,
            ["completion_window"] = options.CompletionWindow,
        });
        using var content = BinaryContent.Create(BinaryData.FromBytes(body));
        var operation = await batches.CreateBatchAsync(content, waitUntilCompleted: false, new RequestOptions { CancellationToken = cancellationToken });
        var status = ReadStatus(operation.GetRawResponse());
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Submitted batch {BatchId} over file {FileId} ({Status})", status.Id, inputFileId, status.Status);
        }

        return status;
    }

    /// <summary>Reads the batch's status once; the caller decides when to look again.</summary>
    public async Task<BatchJobStatus> GetStatusAsync(string batchId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchId);
        var operation = await CreateBatchOperation.RehydrateAsync(batches, batchId, cancellationToken);
        return ReadStatus(operation.GetRawResponse());
    }

    /// <summary>
    /// Downloads the output and error files of a finished batch and accounts for every id in
    /// <paramref name="expectedCustomIds"/> exactly once: an answer, or a failure reason (the line's error, or
    /// "missing" when neither file mentions it, as after an expiry, a cancellation or a failed validation).
    /// </summary>
    public async Task<BatchCollection> CollectAsync(BatchJobStatus status, IEnumerable<string> expectedCustomIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(expectedCustomIds);
        if (!status.IsTerminal)
        {
            throw new InvalidOperationException($"Batch {status.Id} is still '{status.Status}'; collect it once it is completed, failed, expired or cancelled.");
        }

        var expected = new HashSet<string>(expectedCustomIds, StringComparer.Ordinal);
        var results = new Dictionary<string, BatchLineResult>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (fileId, kind) in new[] { (status.OutputFileId, "output"), (status.ErrorFileId, "error") })
        {
            if (fileId is null)
            {
                continue;
            }

            var content = (await files.DownloadFileAsync(fileId, cancellationToken)).Value;
            await using var stream = content.ToStream();
            await ReadResultLinesAsync(stream, $"{kind} file {fileId}", expected, results, problems, cancellationToken);
        }

        var reason = status.Errors.Count > 0 ? $"; batch errors: {string.Join("; ", status.Errors.Take(3))}" : string.Empty;
        foreach (var id in expected.Where(id => !results.ContainsKey(id)))
        {
            results[id] = BatchLineResult.Failure(id, $"missing: batch {status.Id} ended '{status.Status}' without an output or error line for it{reason}", retryable: true);
        }

        if (problems.Count > 0 && logger.IsEnabled(LogLevel.Warning))
        {
            logger.LogWarning("Batch {BatchId}: {Count} unusable result lines, first: {First}", status.Id, problems.Count, problems[0]);
        }

        return new BatchCollection(results, problems);
    }

    /// <summary>
    /// Writes the requests of every retryable failed id of <paramref name="collected"/> (server errors, expired or
    /// missing lines) to new input files, copied verbatim from <paramref name="requestFiles"/> (the files the
    /// batch was built from). Empty when nothing is worth resending. Throws when such an id is in none of the files.
    /// </summary>
    public async Task<BatchResubmissionPlan> PlanResubmissionAsync(BatchCollection collected, IEnumerable<string> requestFiles, string directory, string fileNamePrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collected);
        ArgumentNullException.ThrowIfNull(requestFiles);
        var failed = new HashSet<string>(collected.Retryable.Select(r => r.CustomId), StringComparer.Ordinal);
        if (failed.Count == 0)
        {
            return new BatchResubmissionPlan([], []);
        }

        var lines = new List<(string CustomId, string Line)>();
        foreach (var path in requestFiles)
        {
            await using var stream = File.OpenRead(path);
            await foreach (var line in JsonlLineReader.ReadAsync(stream, cancellationToken: cancellationToken))
            {
                var id = line.IsError ? null : CustomIdOf(line.Text!);
                if (id is not null && failed.Remove(id))
                {
                    lines.Add((id, line.Text!));
                }
            }
        }

        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"{failed.Count} failed custom_id(s) are in none of the request files, e.g. '{failed.First()}'.");
        }

        var written = await writer.WriteLinesAsync(lines, directory, fileNamePrefix, cancellationToken);
        return new BatchResubmissionPlan([.. lines.Select(l => l.CustomId)], written);
    }

    private static BatchJobStatus ReadStatus(PipelineResponse response)
    {
        using var document = JsonDocument.Parse(response.Content);
        return BatchJobStatus.Parse(document.RootElement);
    }

    private static string? CustomIdOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("custom_id", out var id)
                   && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads batch output or error lines (the OpenAI batch output format: <c>id</c>, <c>custom_id</c>,
    /// <c>response: {status_code, body}</c>, <c>error</c>) into <paramref name="results"/>, one per expected custom_id
    /// (an answer beats an earlier failure); unreadable lines and unknown ids go to <paramref name="problems"/> as
    /// "<paramref name="source"/>, line N: reason". Shared by the Batch API and the batch folder.
    /// </summary>
    public static async Task ReadResultLinesAsync(Stream stream, string source, IReadOnlySet<string> expected, IDictionary<string, BatchLineResult> results, ICollection<string> problems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(problems);
        await foreach (var line in JsonlLineReader.ReadAsync(stream, cancellationToken: cancellationToken))
        {
            string? problem = null;
            var result = line.IsError ? null : ParseLine(line.Text!, out problem);
            if (result is null)
            {
                problems.Add($"{source}, line {line.LineNumber}: {line.Error ?? problem}");
            }
            else if (!expected.Contains(result.CustomId))
            {
                problems.Add($"{source}, line {line.LineNumber}: unexpected custom_id '{result.CustomId}'");
            }
            else if (!results.TryGetValue(result.CustomId, out var earlier) || (!earlier.Succeeded && result.Succeeded))
            {
                results[result.CustomId] = result;
            }
        }
    }

    /// <summary>One output or error line → its result; null (with why) when the line is unusable.</summary>
    private static BatchLineResult? ParseLine(string text, out string? problem)
    {
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("custom_id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
            {
                problem = "no custom_id";
                return null;
            }

            var id = idElement.GetString()!;
            var response = root.TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
            var statusCode = response.ValueKind == JsonValueKind.Object && response.TryGetProperty("status_code", out var s) && s.TryGetInt32(out var code) ? code : (int?)null;
            var body = response.ValueKind == JsonValueKind.Object && response.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.Object ? b : default;
            if (statusCode == 200 && body.ValueKind == JsonValueKind.Object && body.TryGetProperty("choices", out _))
            {
                var completion = ModelReaderWriter.Read<ChatCompletion>(BinaryData.FromString(body.GetRawText()), ModelReaderWriterOptions.Json, OpenAIContext.Default)!;
                return BatchLineResult.Success(id, completion.AsChatResponse());
            }

            // 4xx other than timeout/throttling will fail the same way again (unknown deployment, invalid request).
            var retryable = statusCode is null or 408 or 429 or >= 500;
            return BatchLineResult.Failure(id, DescribeError(root, statusCode, body), retryable);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            problem = $"unreadable line ({ex.Message})";
            return null;
        }
    }

    private static string DescribeError(JsonElement line, int? statusCode, JsonElement body)
    {
        var error = line.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e
            : body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var be) && be.ValueKind == JsonValueKind.Object ? be
            : default;
        var code = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var status = statusCode is { } n ? $"HTTP {n}" : "no response";
        return $"{code ?? "error"} ({status}): {message ?? "no message"}";
    }
}
