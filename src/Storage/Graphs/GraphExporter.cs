using System.Globalization;
using System.Text;
using System.Xml;
using WildLong.Core.Graphs;

namespace WildLong.Storage.Graphs;

/// <summary>
/// Writes one document type's co-occurrence graph as JSON (<see cref="CooccurrenceGraphDto"/>), GraphML or DOT, with
/// node and edge counts as attributes. Shared by the HTTP API and the CLI so every host exports the same bytes for
/// the same graph (nodes and edges come out in the DTO's canonical order).
/// </summary>
public static class GraphExporter
{
    /// <summary>Parses a format name (<c>json</c>, <c>graphml</c>, <c>dot</c>, any case); false for anything else.</summary>
    public static bool TryParseFormat(string? name, out GraphExportFormat format)
    {
        switch (name?.Trim().ToUpperInvariant())
        {
            case null or "" or "JSON":
                format = GraphExportFormat.Json;
                return true;
            case "GRAPHML":
                format = GraphExportFormat.GraphMl;
                return true;
            case "DOT" or "GV":
                format = GraphExportFormat.Dot;
                return true;
            default:
                format = default;
                return false;
        }
    }

    /// <summary>The media type of an export, for HTTP responses.</summary>
    public static string ContentType(GraphExportFormat format) => format switch
    {
        GraphExportFormat.Json => "application/json; charset=utf-8",
        GraphExportFormat.GraphMl => "application/graphml+xml; charset=utf-8",
        GraphExportFormat.Dot => "text/vnd.graphviz; charset=utf-8",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown graph export format"),
    };

    /// <summary>The usual file extension of an export (without the dot).</summary>
    public static string FileExtension(GraphExportFormat format) => format switch
    {
        GraphExportFormat.Json => "json",
        GraphExportFormat.GraphMl => "graphml",
        GraphExportFormat.Dot => "dot",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown graph export format"),
    };

    public static string Export(CooccurrenceGraph graph, GraphExportFormat format)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return format switch
        {
            GraphExportFormat.Json => graph.ToJson(),
            GraphExportFormat.GraphMl => ToGraphMl(graph.ToDto()),
            GraphExportFormat.Dot => ToDot(graph.ToDto()),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown graph export format"),
        };
    }

    /// <summary>GraphML: an undirected graph with keys field, value, count (nodes) and count (edges), record_count (graph).</summary>
    public static string ToGraphMl(CooccurrenceGraphDto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var ids = NodeIds(graph);
        var builder = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, Encoding = new UTF8Encoding(false) };
        using (var writer = XmlWriter.Create(new StringWriter(builder, CultureInfo.InvariantCulture), settings))
        {
            const string ns = "http://graphml.graphdrawing.org/xmlns";
            writer.WriteStartDocument();
            writer.WriteStartElement("graphml", ns);
            Key(writer, ns, "d_type", "graph", "document_type", "string");
            Key(writer, ns, "d_records", "graph", "record_count", "long");
            Key(writer, ns, "d_field", "node", "field", "string");
            Key(writer, ns, "d_value", "node", "value", "string");
            Key(writer, ns, "d_ncount", "node", "count", "long");
            Key(writer, ns, "d_ecount", "edge", "count", "long");
            writer.WriteStartElement("graph", ns);
            writer.WriteAttributeString("id", graph.DocumentType);
            writer.WriteAttributeString("edgedefault", "undirected");
            Data(writer, ns, "d_type", graph.DocumentType);
            Data(writer, ns, "d_records", Number(graph.RecordCount));
            foreach (var node in graph.Nodes)
            {
                writer.WriteStartElement("node", ns);
                writer.WriteAttributeString("id", ids[(node.Field, node.Value)]);
                Data(writer, ns, "d_field", node.Field);
                Data(writer, ns, "d_value", node.Value);
                Data(writer, ns, "d_ncount", Number(node.Count));
                writer.WriteEndElement();
            }

            var edgeIndex = 0;
            foreach (var edge in graph.Edges)
            {
                writer.WriteStartElement("edge", ns);
                writer.WriteAttributeString("id", "e" + Number(edgeIndex++));
                writer.WriteAttributeString("source", ids[(edge.FieldA, edge.ValueA)]);
                writer.WriteAttributeString("target", ids[(edge.FieldB, edge.ValueB)]);
                Data(writer, ns, "d_ecount", Number(edge.Count));
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return builder.ToString();
    }

    /// <summary>DOT: an undirected graph; nodes labelled "field: value" with field, value and count attributes, edges with count.</summary>
    public static string ToDot(CooccurrenceGraphDto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var ids = NodeIds(graph);
        var builder = new StringBuilder();
        builder.Append("graph ").Append(Quote(graph.DocumentType)).AppendLine(" {");
        builder.Append("  graph [document_type=").Append(Quote(graph.DocumentType)).Append(", record_count=").Append(Number(graph.RecordCount)).AppendLine("];");
        foreach (var node in graph.Nodes)
        {
            builder.Append("  ").Append(ids[(node.Field, node.Value)])
                .Append(" [label=").Append(Quote($"{node.Field}: {node.Value}"))
                .Append(", field=").Append(Quote(node.Field))
                .Append(", value=").Append(Quote(node.Value))
                .Append(", count=").Append(Number(node.Count)).AppendLine("];");
        }

        foreach (var edge in graph.Edges)
        {
            builder.Append("  ").Append(ids[(edge.FieldA, edge.ValueA)]).Append(" -- ").Append(ids[(edge.FieldB, edge.ValueB)])
                .Append(" [count=").Append(Number(edge.Count)).AppendLine("];");
        }

        builder.AppendLine("}");
        return builder.ToString();
    }

    private static Dictionary<(string Field, string Value), string> NodeIds(CooccurrenceGraphDto graph)
    {
        var ids = new Dictionary<(string, string), string>();
        foreach (var node in graph.Nodes)
        {
            ids.TryAdd((node.Field, node.Value), "n" + Number(ids.Count));
        }

        // Edges name their endpoints; an endpoint missing from the node list still gets an id (and no attributes).
        foreach (var edge in graph.Edges)
        {
            ids.TryAdd((edge.FieldA, edge.ValueA), "n" + Number(ids.Count));
            ids.TryAdd((edge.FieldB, edge.ValueB), "n" + Number(ids.Count));
        }

        return ids;
    }

    private static void Key(XmlWriter writer, string ns, string id, string target, string name, string type)
    {
        writer.WriteStartElement("key", ns);
        writer.WriteAttributeString("id", id);
        writer.WriteAttributeString("for", target);
        writer.WriteAttributeString("attr.name", name);
        writer.WriteAttributeString("attr.type", type);
        writer.WriteEndElement();
    }

    private static void Data(XmlWriter writer, string ns, string key, string value)
    {
        writer.WriteStartElement("data", ns);
        writer.WriteAttributeString("key", key);
        writer.WriteString(XmlSafe(value));
        writer.WriteEndElement();
    }

    /// <summary>Drops characters XML 1.0 cannot carry (control characters other than tab, newline, carriage return).</summary>
    private static string XmlSafe(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (!char.IsSurrogate(c) && XmlConvert.IsXmlChar(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
