using System.Text.Json;
using WildLong.Core.Queries;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.MetaInfo;

/// <summary>The 200 real sample queries as <see cref="UserQuery"/> objects (test-only loader).</summary>
internal static class SampleQueries
{
    private static readonly Lazy<IReadOnlyList<UserQuery>> All = new(() => Load(TestData.QueriesJsonl));

    public static IReadOnlyList<UserQuery> Load() => All.Value;

    public static IReadOnlyList<UserQuery> Load(string path)
    {
        var queries = new List<UserQuery>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            queries.Add(new UserQuery(
                root.GetProperty("id").GetString()!,
                root.GetProperty("text").GetString()!,
                root.GetProperty("source").GetString()!,
                root.TryGetProperty("language", out var language) && language.ValueKind == JsonValueKind.String ? language.GetString() : null,
                $"{Path.GetFileName(path)}:{line}"));
        }

        return queries;
    }
}
