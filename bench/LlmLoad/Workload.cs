using System.Text.Json;
using Microsoft.Extensions.AI;
using WildLong.Core.Common;
using WildLong.Core.Documents;

namespace WildLong.Bench.LlmLoad;

/// <summary>
/// Deterministic streams of realistic calls built from the shared real data, as two pipeline stages running side by
/// side issue them: extraction-sized prompts (a real user query with a 1–2K-token document excerpt, structured
/// answer) and long-document prompts (20–45K tokens of real documents, free-text answer), each with a tight
/// max_tokens. Item i of each stream is the same on every run.
/// </summary>
public sealed class Workload
{
    public static readonly JsonElement ExtractionSchema = JsonDocument.Parse("""
        {"type":"object","additionalProperties":false,"required":["task_request","document_type","constraints"],
         "properties":{"task_request":{"type":"string"},
                       "document_type":{"type":"string","enum":["legal_contract","scientific_paper","meeting_transcript","government_report","other"]},
                       "constraints":{"type":"array","items":{"type":"string"},"maxItems":3}}}
        """).RootElement;

    private const string ExtractionSystem = "Extract the task the user asks for, the type of document they bring and any constraints. Answer with JSON only.";
    private const string LongSystem = "Answer the user's question from the document. Quote the sentences you rely on.";

    private readonly List<string> queries;
    private readonly List<string> documents;
    private readonly BenchOptions options;
    private readonly WorkItem[] smallPool;
    private readonly WorkItem[] longPool;

    public Workload(BenchOptions options)
    {
        this.options = options;
        queries = ReadTexts(Path.Combine(options.DataDirectory, "queries", "queries.jsonl")).Where(q => q.Length is > 30 and < 3_000).ToList();
        documents = ReadTexts(Path.Combine(options.DataDirectory, "documents", "documents.jsonl")).ToList();
        // A pool of distinct prompts built once (tokenizing 45K-token documents per call would compete with the
        // simulator for the CPU); items cycle through it with their own seeds.
        smallPool = [.. Enumerable.Range(0, 400).Select(i => Build(i, isLong: false))];
        longPool = [.. Enumerable.Range(0, 120).Select(i => Build(i, isLong: true))];
    }

    public int Queries => queries.Count;

    public int Documents => documents.Count;

    public WorkItem Item(long index, bool isLong)
    {
        var pool = isLong ? longPool : smallPool;
        return pool[index % pool.Length] with { Index = index, Seed = (long)(StableHash.Mix(options.Seed, (ulong)index) >> 1) };
    }

    private WorkItem Build(int index, bool isLong)
    {
        var random = DeterministicRandom.ForItem(options.Seed + (isLong ? 1UL : 0UL), index);
        var query = queries[random.NextInt(queries.Count)];
        if (isLong)
        {
            var target = random.NextInt(options.LongMinTokens, options.LongMaxTokens);
            var document = LongText(random, target);
            return new WorkItem(index, true, [new ChatMessage(ChatRole.System, LongSystem), new ChatMessage(ChatRole.User, document + "\n\nQuestion: " + query)], 500, 0);
        }

        var excerpt = TokenCounter.Shared.Head(documents[random.NextInt(documents.Count)], random.NextInt(800, 1_700));
        return new WorkItem(index, false, [new ChatMessage(ChatRole.System, ExtractionSystem), new ChatMessage(ChatRole.User, query + "\n\n" + excerpt)], 300, 0);
    }

    /// <summary>The first <paramref name="tokens"/> tokens of a document, joining further documents when one is shorter.</summary>
    private string LongText(DeterministicRandom random, int tokens)
    {
        var text = documents[random.NextInt(documents.Count)];
        while (text.Length < tokens * 6)
        {
            text += "\n\n" + documents[random.NextInt(documents.Count)];
        }

        return TokenCounter.Shared.Head(text, tokens);
    }

    private static IEnumerable<string> ReadTexts(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("text", out var text) && text.GetString() is { Length: > 0 } value)
            {
                yield return value;
            }
        }
    }
}

/// <summary>One call of the benchmark stream.</summary>
public sealed record WorkItem(long Index, bool IsLong, IReadOnlyList<ChatMessage> Messages, int MaxOutputTokens, long Seed);
