using System.Text.Json.Serialization;

namespace WildLong.Core.Generation;

/// <summary>
/// What a training item asks of its context: one document, or several documents compared or combined. Long-context
/// models must learn to use every part of a long context, which multi-document tasks enforce.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskKind>))]
public enum TaskKind
{
    [JsonStringEnumMemberName("single_document")]
    SingleDocument,

    [JsonStringEnumMemberName("comparison")]
    Comparison,

    [JsonStringEnumMemberName("aggregation")]
    Aggregation,
}
