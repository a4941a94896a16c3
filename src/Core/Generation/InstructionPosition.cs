using System.Text.Json.Serialization;

namespace WildLong.Core.Generation;

/// <summary>
/// Where a training record's user turn puts the request relative to the documents. Real users do both (a question,
/// then a pasted document; or the document, then the question), and a model trained on one layout only learns to
/// expect it; the share is <see cref="GenerationOptions.InstructionBeforeDocumentsShare"/>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<InstructionPosition>))]
public enum InstructionPosition
{
    [JsonStringEnumMemberName("after_documents")]
    AfterDocuments,

    [JsonStringEnumMemberName("before_documents")]
    BeforeDocuments,
}
