using System.Text.Json;

namespace WildLong.Simulator.Tests.Support;

/// <summary>The real long documents of the shared test sample (see tests/Core.Tests/TestData/SOURCES.md).</summary>
public static class SampleDocuments
{
    private static readonly Lazy<IReadOnlyList<(string Id, string Text)>> All = new(() =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "documents.sample.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line =>
            {
                using var doc = JsonDocument.Parse(line);
                return (doc.RootElement.GetProperty("id").GetString()!, doc.RootElement.GetProperty("text").GetString()!);
            })]);

    public static IReadOnlyList<(string Id, string Text)> Documents => All.Value;

    /// <summary>The first <paramref name="chars"/> characters of sample document <paramref name="index"/>.</summary>
    public static string Text(int index, int chars = 20_000)
    {
        var text = Documents[index].Text;
        return text.Length <= chars ? text : text[..chars];
    }

    public static string NormalizeSpace(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
