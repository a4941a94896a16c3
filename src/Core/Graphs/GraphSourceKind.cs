using System.Text.Json.Serialization;

namespace WildLong.Core.Graphs;

/// <summary>Where a document type's paths come from (see <see cref="GraphSources"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GraphSourceKind>))]
public enum GraphSourceKind
{
    /// <summary>The type's own graph, with enough records.</summary>
    Own = 0,

    /// <summary>The type's own graph for the type-dependent fields; the type-independent ones from the graph of all types.</summary>
    Blended = 1,

    /// <summary>Another graph entirely (the nearest type configured, or all types): the type has no usable graph.</summary>
    Borrowed = 2,
}
