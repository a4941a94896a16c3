using WildLong.Core.Common;
using WildLong.Core.Tests.Support;
using static WildLong.Core.Tests.Queries.InputFixtures;

namespace WildLong.Core.Tests.Queries;

public class JsonlLineReaderTests
{
    private static Task<List<JsonlLine>> ReadAsync(byte[] bytes, int maxLineBytes = JsonlLineReader.DefaultMaxLineBytes)
        => ToListAsync(JsonlLineReader.ReadAsync(new MemoryStream(bytes), maxLineBytes));

    [Fact]
    public async Task Empty_stream_yields_nothing()
    {
        Assert.Empty(await ReadAsync([]));
    }

    [Fact]
    public async Task Handles_bom_crlf_blank_lines_and_missing_final_newline()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Utf8("{\"a\":1}\r\n\r\n   \n{\"b\":\"é\"}\n\n{\"c\":3}")];

        var lines = await ReadAsync(bytes);

        Assert.All(lines, l => Assert.False(l.IsError));
        Assert.Equal(["{\"a\":1}", "{\"b\":\"é\"}", "{\"c\":3}"], lines.Select(l => l.Text));
        Assert.Equal([1L, 4L, 6L], lines.Select(l => l.LineNumber));
        Assert.Equal([0L, 3 + 9 + 2 + 4, 3 + 9 + 2 + 4 + 11 + 1], lines.Select(l => l.ByteOffset));
    }

    [Fact]
    public async Task Invalid_utf8_is_reported_with_its_line_a_reason_without_offsets_and_reading_continues()
    {
        var first = Utf8("{\"ok\":1}\n");
        var badPrefix = Utf8("{\"t\":\"ab");
        byte[] bytes = [.. first, .. badPrefix, 0xC3, 0x28, .. Utf8("\"}\n{\"ok\":2}\n")];

        var lines = await ReadAsync(bytes);

        Assert.Equal(3, lines.Count);
        Assert.Equal("{\"ok\":1}", lines[0].Text);
        Assert.True(lines[1].IsError);
        Assert.Equal(2, lines[1].LineNumber);
        Assert.Equal(first.Length, lines[1].ByteOffset);
        Assert.StartsWith("invalid UTF-8", lines[1].Error, StringComparison.Ordinal);
        Assert.DoesNotContain("offset", lines[1].Error, StringComparison.Ordinal);
        Assert.Equal("{\"ok\":2}", lines[2].Text);
    }

    [Fact]
    public async Task Line_longer_than_the_limit_is_skipped_and_the_next_lines_are_read()
    {
        var longLine = new string('x', 100);
        var lines = await ReadAsync(Utf8($"short\n{longLine}\nafter\n{longLine}"), maxLineBytes: 50);

        Assert.Equal(4, lines.Count);
        Assert.Equal("short", lines[0].Text);
        Assert.True(lines[1].IsError);
        Assert.Contains("100 bytes", lines[1].Error, StringComparison.Ordinal);
        Assert.Equal("after", lines[2].Text);
        Assert.True(lines[3].IsError);
        Assert.Equal(4, lines[3].LineNumber);
    }

    [Fact]
    public async Task Line_of_exactly_the_limit_is_accepted()
    {
        var lines = await ReadAsync(Utf8(new string('x', 50) + "\n" + new string('y', 51)), maxLineBytes: 50);

        Assert.Equal(new string('x', 50), lines[0].Text);
        Assert.True(lines[1].IsError);
    }

    [Fact]
    public async Task Reads_lines_split_across_read_chunks()
    {
        // Lines of 100 KB cross the reader's 64 KiB chunk boundaries, including a multi-byte character.
        var a = new string('a', 70_000) + "é" + new string('a', 30_000);
        var b = new string('b', 100_000);
        var lines = await ReadAsync(Utf8(a + "\n" + b + "\n"));

        Assert.Equal([a, b], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task Stream_failure_becomes_an_error_line()
    {
        var lines = await ToListAsync(JsonlLineReader.ReadAsync(new FailingStream(Utf8("{\"a\":1}\n{\"b\""))));

        Assert.Equal("{\"a\":1}", lines[0].Text);
        Assert.True(lines[^1].IsError);
        Assert.Contains("reading the input failed", lines[^1].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_50_MB_line_is_reported_and_the_lines_after_it_are_read()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("huge.jsonl");
        WriteWithHugeLine(path, "{\"n\":1}\n", 50L * 1024 * 1024, "{\"n\":3}\n{\"n\":4}");

        await using var stream = File.OpenRead(path);
        var lines = await ToListAsync(JsonlLineReader.ReadAsync(stream));

        Assert.Equal(4, lines.Count);
        Assert.Equal("{\"n\":1}", lines[0].Text);
        Assert.True(lines[1].IsError);
        Assert.Equal(2, lines[1].LineNumber);
        Assert.Contains("longer than the maximum", lines[1].Error, StringComparison.Ordinal);
        Assert.Equal(["{\"n\":3}", "{\"n\":4}"], lines.Skip(2).Select(l => l.Text));
        Assert.Equal([3L, 4L], lines.Skip(2).Select(l => l.LineNumber));
    }

    /// <summary>Returns its bytes, then throws as a broken network stream would.</summary>
    private sealed class FailingStream(byte[] bytes) : MemoryStream(bytes)
    {
        private bool drained;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (drained)
            {
                throw new IOException("connection reset");
            }

            drained = true;
            return base.ReadAsync(buffer, cancellationToken);
        }
    }
}
