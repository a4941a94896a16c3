using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using WildLong.Core.Common;

namespace WildLong.Core.Reports;

/// <summary>
/// Lexical diversity of the instructions (docs/quality-metrics.md): distinct-n = unique n-grams ÷ all n-grams over
/// all instructions (lower-cased, whitespace tokens; n-grams never span two instructions), and the compression
/// ratio = raw UTF-8 bytes ÷ gzip bytes of all instructions joined by newlines. Streaming, so a dataset of any size is
/// measured in one pass in O(unique n-grams) memory with no instruction held: each token is hashed once (64-bit) and an
/// n-gram's key chains its tokens' hashes (a collision is vanishingly unlikely at these counts); the instructions are
/// gzipped as they arrive into a stream that only counts bytes.
/// </summary>
public sealed class InstructionDiversity : IDisposable
{
    private const int MaxN = 3;
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly HashSet<ulong>[] unique = [.. Enumerable.Range(0, MaxN).Select(_ => new HashSet<ulong>())];
    private readonly long[] total = new long[MaxN];
    private readonly ByteCounter compressed = new();
    private readonly GZipStream gzip;
    private long rawBytes;
    private long instructions;
    private bool finished;

    public InstructionDiversity() => gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true);

    /// <summary>Counts one instruction's n-grams and feeds it to the compressor.</summary>
    public void Add(string instruction)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        var text = instruction ?? string.Empty;
        var tokens = text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var hashes = new ulong[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            hashes[i] = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(tokens[i]));
        }

        for (var n = 1; n <= MaxN; n++)
        {
            for (var i = 0; i + n <= hashes.Length; i++)
            {
                var key = (ulong)n;
                for (var k = 0; k < n; k++)
                {
                    key = StableHash.Mix(key ^ hashes[i + k], (ulong)k + 1);
                }

                total[n - 1]++;
                unique[n - 1].Add(key);
            }
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (instructions > 0)
        {
            gzip.Write(NewLine);
            rawBytes += NewLine.Length;
        }

        gzip.Write(bytes);
        rawBytes += bytes.Length;
        instructions++;
    }

    /// <summary>Unique n-grams ÷ all n-grams (n = 1, 2 or 3).</summary>
    public ReportMetric DistinctN(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, MaxN);
        return total[n - 1] == 0
            ? ReportMetric.Missing($"no instruction has {n} token(s)")
            : ReportMetric.Of((double)unique[n - 1].Count / total[n - 1], total[n - 1]);
    }

    /// <summary>Raw bytes ÷ gzip bytes of everything added; ends the compression (call it once, after the last <see cref="Add"/>).</summary>
    public ReportMetric CompressionRatio()
    {
        if (!finished)
        {
            gzip.Dispose();
            finished = true;
        }

        return instructions == 0 ? ReportMetric.Missing("no instructions") : ReportMetric.Of((double)rawBytes / compressed.Length, instructions);
    }

    public static ReportMetric DistinctN(IEnumerable<string> instructions, int n)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        using var diversity = new InstructionDiversity();
        foreach (var instruction in instructions)
        {
            diversity.Add(instruction);
        }

        return diversity.DistinctN(n);
    }

    public static ReportMetric CompressionRatio(IReadOnlyCollection<string> instructions)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        using var diversity = new InstructionDiversity();
        foreach (var instruction in instructions)
        {
            diversity.Add(instruction);
        }

        return diversity.CompressionRatio();
    }

    public void Dispose()
    {
        if (!finished)
        {
            gzip.Dispose();
            finished = true;
        }

        compressed.Dispose();
    }

    /// <summary>A write-only stream that keeps nothing but the number of bytes written to it.</summary>
    private sealed class ByteCounter : Stream
    {
        private long length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => length;

        public override long Position { get => length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => length += buffer.Length;
    }
}
