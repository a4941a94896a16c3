using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using WildLong.Core.Graphs;

namespace WildLong.Storage.Graphs;

/// <summary>
/// A SHA-256 over a graph set's canonical rows (types, record counts, sorted nodes and edges), independent of how
/// the set was built or read: equal counts give equal hashes, any changed count a different one.
/// </summary>
internal static class GraphContentHash
{
    public static string Compute(GraphSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var graph in set.Graphs)
        {
            var dto = graph.ToDto();
            AppendText(sha, "graph");
            AppendText(sha, dto.DocumentType);
            AppendNumber(sha, dto.RecordCount);
            AppendNumber(sha, dto.Nodes.Count);
            foreach (var node in dto.Nodes)
            {
                AppendText(sha, node.Field);
                AppendText(sha, node.Value);
                AppendNumber(sha, node.Count);
            }

            AppendNumber(sha, dto.Edges.Count);
            foreach (var edge in dto.Edges)
            {
                AppendText(sha, edge.FieldA);
                AppendText(sha, edge.ValueA);
                AppendText(sha, edge.FieldB);
                AppendText(sha, edge.ValueB);
                AppendNumber(sha, edge.Count);
            }

            // Shapes and record signatures are hashed only when present, so totals written before they existed keep
            // their hash.
            if (dto.Shape is { Count: > 0 } shape)
            {
                AppendText(sha, "shape");
                AppendNumber(sha, shape.Count);
                foreach (var bin in shape)
                {
                    AppendText(sha, bin.Field);
                    AppendNumber(sha, bin.Values);
                    AppendNumber(sha, bin.Count);
                }
            }

            if (dto.Signatures is { Count: > 0 } signatures)
            {
                AppendText(sha, dto.SignaturesTruncated == true ? "signatures-truncated" : "signatures");
                AppendNumber(sha, signatures.Count);
                foreach (var signature in signatures)
                {
                    AppendText(sha, string.Join(' ', signature.Nodes));
                    AppendNumber(sha, signature.Count);
                }
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static void AppendText(IncrementalHash sha, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        AppendNumber(sha, bytes.Length);
        sha.AppendData(bytes);
    }

    private static void AppendNumber(IncrementalHash sha, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        sha.AppendData(buffer);
    }
}
