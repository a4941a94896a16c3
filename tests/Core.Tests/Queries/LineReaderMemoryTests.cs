using WildLong.Core.Common;
using WildLong.Core.Tests.Support;
using static WildLong.Core.Tests.Queries.InputFixtures;

namespace WildLong.Core.Tests.Queries;

/// <summary>Runs alone (no parallel tests), so process-wide allocation counts measure this test only.</summary>
[CollectionDefinition(nameof(LineReaderMemoryTests), DisableParallelization = true)]
public sealed class LineReaderMemoryCollection;

[Collection(nameof(LineReaderMemoryTests))]
public class LineReaderMemoryTests
{
    [Fact]
    public async Task Skipping_a_50_MB_line_does_not_buffer_it()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("huge.jsonl");
        const long huge = 50L * 1024 * 1024;
        WriteWithHugeLine(path, string.Empty, huge, "{\"n\":2}\n");
        const int maxLineBytes = 1024 * 1024;

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var count = 0;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        {
            await foreach (var line in JsonlLineReader.ReadAsync(stream, maxLineBytes))
            {
                count++;
            }
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(2, count);
        // Buffering the line whole would take at least 50 MB (bytes) plus 100 MB (string); the bounded reader needs
        // about its 1 MiB line buffer and a 64 KiB chunk.
        Assert.True(allocated < 8L * 1024 * 1024, $"allocated {allocated} bytes while skipping a {huge}-byte line");
    }
}
