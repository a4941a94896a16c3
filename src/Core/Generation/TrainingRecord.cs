using System.Text.Json.Serialization;

namespace WildLong.Core.Generation;

/// <summary>
/// The pipeline's product: one chat-format example (user turn = document(s) + request, assistant turn = answer)
/// ready for supervised fine-tuning, with its provenance alongside.
/// </summary>
public sealed record TrainingRecord(IReadOnlyList<TrainingMessage> Messages, TrainingRecordMeta Meta)
{
    /// <summary>The adapted request (not the documents); what near-duplicate detection compares.</summary>
    [JsonIgnore]
    public string Instruction => Meta.Instruction;
}
