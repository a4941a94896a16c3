using System.Text.Json.Serialization;

namespace WildLong.Core.Generation;

/// <summary>One row of <c>pairs.parquet</c>; column names match the snake_case keys of <c>pairs.jsonl</c>.</summary>
public sealed class TrainingRecordParquetRow
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("document_type")]
    public string DocumentType { get; set; } = string.Empty;

    [JsonPropertyName("task_kind")]
    public string TaskKind { get; set; } = string.Empty;

    [JsonPropertyName("instruction")]
    public string Instruction { get; set; } = string.Empty;

    [JsonPropertyName("response")]
    public string Response { get; set; } = string.Empty;

    [JsonPropertyName("document_ids")]
    public List<string> DocumentIds { get; set; } = [];

    [JsonPropertyName("length_buckets")]
    public List<string> LengthBuckets { get; set; } = [];

    [JsonPropertyName("prompt_tokens")]
    public int PromptTokens { get; set; }

    [JsonPropertyName("response_tokens")]
    public int ResponseTokens { get; set; }

    [JsonPropertyName("judge_score")]
    public int JudgeScore { get; set; }

    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    /// <summary>The 64-bit seed as decimal text (Parquet has no unsigned 64-bit logical type every reader accepts).</summary>
    [JsonPropertyName("seed")]
    public string Seed { get; set; } = string.Empty;

    /// <summary>The chat messages as JSON (the <c>messages</c> array of <c>pairs.jsonl</c>).</summary>
    [JsonPropertyName("messages")]
    public string Messages { get; set; } = string.Empty;

    /// <summary>The full provenance as JSON (the <c>meta</c> object of <c>pairs.jsonl</c>).</summary>
    [JsonPropertyName("meta")]
    public string Meta { get; set; } = string.Empty;
}
