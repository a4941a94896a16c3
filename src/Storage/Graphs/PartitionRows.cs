using Azure.Data.Tables;
using WildLong.Core.Graphs;

namespace WildLong.Storage.Graphs;

/// <summary>
/// Collects the rows of one graph (record-count row, node rows, edge rows) read from a table and turns them into a
/// <see cref="CooccurrenceGraph"/>, reporting rows that do not form a whole graph as <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class PartitionRows
{
    private readonly List<GraphNode> nodes = [];
    private readonly List<GraphEdge> edges = [];
    private readonly List<GraphShapeBin> shape = [];
    private readonly List<GraphRecordSignature> signatures = [];
    private string? documentType;
    private long? recordCount;
    private bool signaturesTruncated;

    /// <summary>Adds a row; <paramref name="kind"/> is its row key after any shard/version prefix: r, n|…, e|…, h|…, s|….</summary>
    public void Add(TableEntity row, string kind)
    {
        if (kind == "r")
        {
            documentType = row.GetString("DocumentType");
            recordCount = row.GetInt64("RecordCount");
            signaturesTruncated = row.GetBoolean("SignaturesTruncated") ?? false;
        }
        else if (kind.StartsWith("h|", StringComparison.Ordinal))
        {
            shape.Add(new GraphShapeBin(row.GetString("Field") ?? string.Empty, row.GetInt32("Values") ?? -1, row.GetInt64("Count") ?? 0));
        }
        else if (kind.StartsWith("s|", StringComparison.Ordinal))
        {
            var nodes = row.GetString("Nodes") ?? string.Empty;
            signatures.Add(new GraphRecordSignature(nodes.Split(' ', StringSplitOptions.RemoveEmptyEntries), row.GetInt64("Count") ?? 0));
        }
        else if (kind.StartsWith("n|", StringComparison.Ordinal))
        {
            nodes.Add(new GraphNode(row.GetString("Field") ?? string.Empty, row.GetString("Value") ?? string.Empty, row.GetInt64("Count") ?? 0));
        }
        else if (kind.StartsWith("e|", StringComparison.Ordinal))
        {
            edges.Add(new GraphEdge(
                row.GetString("FieldA") ?? string.Empty,
                row.GetString("ValueA") ?? string.Empty,
                row.GetString("FieldB") ?? string.Empty,
                row.GetString("ValueB") ?? string.Empty,
                row.GetInt64("Count") ?? 0));
        }
        else
        {
            throw new InvalidDataException($"Unexpected graph row '{row.PartitionKey}'/'{row.RowKey}'.");
        }
    }

    /// <summary>The graph; <paramref name="expectedType"/> (when given) must match the record-count row's type.</summary>
    public CooccurrenceGraph ToGraph(Func<string> describe, string? expectedType = null)
    {
        if (recordCount is null || string.IsNullOrWhiteSpace(documentType))
        {
            throw new InvalidDataException($"{describe()} has no record-count row.");
        }

        if (expectedType is not null && !string.Equals(expectedType, documentType, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{describe()} holds rows of document type '{documentType}'.");
        }

        try
        {
            return CooccurrenceGraph.FromCounts(documentType, recordCount.Value, nodes, edges, shape, signatures, signaturesTruncated);
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException($"{describe()} is not a whole graph: {error.Message}", error);
        }
    }
}
