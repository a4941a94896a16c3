using System.Text;
using WildLong.Core.Common;

namespace WildLong.Core.Tests.Queries;

/// <summary>Builders for broken and oversized input files shared by the reader tests.</summary>
public static class InputFixtures
{
    public static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static byte[] Utf8(string text) => Utf8NoBom.GetBytes(text);

    /// <summary>
    /// Writes <paramref name="before"/>, then one JSON line whose text field holds <paramref name="hugeBytes"/> bytes
    /// (written in chunks, never held in memory), then <paramref name="after"/>.
    /// </summary>
    public static void WriteWithHugeLine(string path, string before, long hugeBytes, string after)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        file.Write(Utf8(before));
        file.Write(Utf8("{\"id\": \"huge\", \"text\": \""));
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, (byte)'a');
        for (long written = 0; written < hugeBytes; written += chunk.Length)
        {
            file.Write(chunk, 0, (int)Math.Min(chunk.Length, hugeBytes - written));
        }

        file.Write(Utf8("\"}\n"));
        file.Write(Utf8(after));
    }

    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }

    public static async Task<(List<T> Ok, List<QuarantineEntry> Errors)> SplitAsync<T>(IAsyncEnumerable<ReadResult<T>> source)
        where T : class
    {
        var ok = new List<T>();
        var errors = new List<QuarantineEntry>();
        await foreach (var result in source)
        {
            if (result.IsSuccess)
            {
                ok.Add(result.Value!);
            }
            else
            {
                errors.Add(result.Error!);
            }
        }

        return (ok, errors);
    }
}
