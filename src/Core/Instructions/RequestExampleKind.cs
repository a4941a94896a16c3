using System.Text.Json.Serialization;

namespace WildLong.Core.Instructions;

/// <summary>What a <see cref="RequestExample"/> holds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RequestExampleKind>))]
public enum RequestExampleKind
{
    /// <summary>An excerpt of a real request with the entry's task value (a style example).</summary>
    Excerpt,

    /// <summary>The detail a user gave for the entry's canonical value, in their own words.</summary>
    Detail,
}
