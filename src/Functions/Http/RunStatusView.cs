using System.Text.Json;
using Microsoft.DurableTask.Client;
using WildLong.Core.Reports;
using WildLong.Pipeline.Runs;

namespace WildLong.Functions.Http;

/// <summary>
/// The answer of <c>GET /api/runs/{id}</c>: the orchestration's runtime state, the run's live progress (its custom
/// status), its result once completed, the failure when it failed, and where its dataset is (or will be) and, once
/// completed, its report.
/// </summary>
public sealed record RunStatusView(
    string Id,
    string Orchestrator,
    string RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    RunProgress? Progress,
    JsonElement? CustomStatus,
    RunResult? Output,
    JsonElement? RawOutput,
    RunFailureView? Failure,
    RunLinksView Links)
{
    private static readonly JsonSerializerOptions Lenient = new(JsonSerializerDefaults.Web);

    /// <summary>Builds the view; progress and output are typed when they have the pipeline's shapes, raw JSON otherwise.</summary>
    public static RunStatusView From(OrchestrationMetadata metadata, string datasetContainer, Func<string, string> apiUrl)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(apiUrl);
        var progress = TryRead<RunProgress>(metadata.SerializedCustomStatus, p => !string.IsNullOrEmpty(p.RunId) && !string.IsNullOrEmpty(p.Stage));
        var output = metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            ? TryRead<RunResult>(metadata.SerializedOutput, r => !string.IsNullOrEmpty(r.RunId) && !string.IsNullOrEmpty(r.DatasetPrefix))
            : null;
        var runId = output?.RunId ?? progress?.RunId ?? InputRunId(metadata.SerializedInput) ?? metadata.InstanceId;
        var producesDataset = output is not null || progress is not null
            || metadata.Name is nameof(Pipeline.Runs.RunOrchestrator) or nameof(Pipeline.Synthesis.GenerateDatasetOrchestrator);
        var escaped = Uri.EscapeDataString(metadata.InstanceId);
        var links = new RunLinksView(
            apiUrl($"runs/{escaped}"),
            apiUrl($"runs/{escaped}/terminate"),
            apiUrl($"runs/{escaped}"),
            producesDataset ? output?.DatasetContainer ?? datasetContainer : null,
            producesDataset ? output?.DatasetPrefix ?? Storage.Blobs.BlobLayout.DatasetPrefix(runId) : null,
            output is null ? null : output.DatasetPrefix + DatasetReport.HtmlFileName,
            output is null ? null : output.DatasetPrefix + DatasetReport.JsonFileName);
        var failure = metadata.FailureDetails is { } f ? new RunFailureView(f.ErrorType, f.ErrorMessage) : null;
        return new RunStatusView(
            metadata.InstanceId,
            metadata.Name,
            metadata.RuntimeStatus.ToString(),
            metadata.CreatedAt,
            metadata.LastUpdatedAt,
            progress,
            progress is null ? Raw(metadata.SerializedCustomStatus) : null,
            output,
            output is null && metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? Raw(metadata.SerializedOutput) : null,
            failure,
            links);
    }

    private static T? TryRead<T>(string? json, Func<T, bool> looksRight)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(json, Lenient);
            return value is not null && looksRight(value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonElement? Raw(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }

    private static string? InputRunId(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (string.Equals(property.Name, "runId", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                    {
                        return property.Value.GetString();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: no run id in it.
        }

        return null;
    }
}
