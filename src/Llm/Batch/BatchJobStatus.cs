using System.Text.Json;

namespace WildLong.Llm.Batch;

/// <summary>
/// One look at a batch job (what a durable orchestration stores between timer-driven polls): its status, the
/// output and error file ids once they exist, and the request counts.
/// </summary>
public sealed record BatchJobStatus(
    string Id,
    string Status,
    string? InputFileId,
    string? OutputFileId,
    string? ErrorFileId,
    int Total,
    int Completed,
    int Failed,
    IReadOnlyList<string> Errors)
{
    /// <summary>True once the job will not change any more: completed, failed, expired or cancelled.</summary>
    public bool IsTerminal => Status is "completed" or "failed" or "expired" or "cancelled";

    /// <summary>Reads the Batch API's batch object (OpenAI and Azure share its shape).</summary>
    public static BatchJobStatus Parse(JsonElement batch)
    {
        var counts = batch.TryGetProperty("request_counts", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var errors = new List<string>();
        if (batch.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            errors.AddRange(data.EnumerateArray().Select(d => String(d, "message") ?? d.GetRawText()));
        }

        return new BatchJobStatus(
            String(batch, "id") ?? throw new JsonException("The batch object has no 'id'."),
            String(batch, "status") ?? throw new JsonException("The batch object has no 'status'."),
            String(batch, "input_file_id"),
            String(batch, "output_file_id"),
            String(batch, "error_file_id"),
            Int(counts, "total"),
            Int(counts, "completed"),
            Int(counts, "failed"),
            errors);
    }

    private static string? String(JsonElement obj, string name)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement obj, string name)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.TryGetInt32(out var n) ? n : 0;
}
