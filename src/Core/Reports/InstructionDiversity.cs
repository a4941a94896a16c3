using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace WildLong.Core.Reports;

/// <summary>
/// Lexical diversity of the instructions (docs/quality-metrics.md): distinct-n = unique n-grams ÷ all n-grams over
/// all instructions (lower-cased, whitespace tokens; n-grams never span two instructions), and the compression
/// ratio = raw UTF-8 bytes ÷ gzip bytes of all instructions joined by newlines. N-grams are counted by a 64-bit hash
/// of their tokens, so 150,000 instructions fit in memory (a collision is vanishingly unlikely at these counts).
/// </summary>
public static class InstructionDiversity
{
    public static ReportMetric DistinctN(IEnumerable<string> instructions, int n)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var unique = new HashSet<ulong>();
        long total = 0;
        foreach (var instruction in instructions)
        {
            var tokens = Tokens(instruction);
            for (var i = 0; i + n <= tokens.Length; i++)
            {
                total++;
                unique.Add(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(string.Join('\u0001', tokens, i, n))));
            }
        }

        return total == 0
            ? ReportMetric.Missing($"no instruction has {n} token(s)")
            : ReportMetric.Of((double)unique.Count / total, total);
    }

    public static ReportMetric CompressionRatio(IReadOnlyCollection<string> instructions)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        if (instructions.Count == 0)
        {
            return ReportMetric.Missing("no instructions");
        }

        var raw = Encoding.UTF8.GetBytes(string.Join('\n', instructions));
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return ReportMetric.Of((double)raw.Length / compressed.Length, instructions.Count);
    }

    private static string[] Tokens(string text)
        => (text ?? string.Empty).ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
