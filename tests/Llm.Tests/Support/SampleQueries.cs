using System.Text.Json;

namespace WildLong.Llm.Tests.Support;

/// <summary>Real user queries of the shared test sample (see tests/Core.Tests/TestData/SOURCES.md).</summary>
public static class SampleQueries
{
    private static readonly Lazy<IReadOnlyList<string>> All = new(() =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "queries.sample.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line =>
            {
                using var doc = JsonDocument.Parse(line);
                return doc.RootElement.GetProperty("text").GetString()!;
            })
            .Where(text => text.Length is > 40 and < 2_000)]);

    public static IReadOnlyList<string> Texts => All.Value;
}
