using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WildLong.Core.Common;
using WildLong.Core.Embeddings;

namespace WildLong.Simulator.Generation;

/// <summary>
/// Answers open-vocabulary fields (an object of a canonical value — an <c>anyOf</c> of an enum and a free string —
/// and a detail string) the way an extraction model does, so graphs built from simulated extraction behave like
/// graphs built from a real model's: values depend on the request's meaning and recur across requests.
/// <list type="bullet">
/// <item>Meaning: the request (the text between <c>&lt;&lt;&lt;REQUEST</c> and <c>REQUEST&gt;&gt;&gt;</c> when the
/// prompt marks it, else the whole task text; its first and its last line, at most <see cref="ViewChars"/>
/// characters each, where the instruction usually is) and every vocabulary entry are embedded with all-MiniLM-L6-v2;
/// entries are ranked by their best cosine similarity over the two parts and one is drawn with weights exp(cosine / <see cref="Temperature"/>), so the
/// nearest entry wins most of the time and close seconds sometimes.</item>
/// <item>Explicit-only fields (the description says "only when the request states it" or "only those the request
/// states"): only entries whose content words (four letters or more) all occur as words in the request can be chosen ("bullet
/// list" needs "bullet" and "list"); none → null. This is cruder than a model: a pasted report makes "report" a
/// candidate format.</item>
/// <item>Inferred fields: null with probability <see cref="InferredNullRate"/>.</item>
/// <item>Tail: with probability <see cref="OtherRate"/> the value is <c>other: &lt;free text&gt;</c> — a Zipf draw
/// (exponent <see cref="ZipfExponent"/>) from a small built-in pool of off-vocabulary phrases for the field's kind
/// (task, intent, profile, …), so some free-text values recur; or, for a share <see cref="UniqueOtherShare"/>,
/// a phrase of the request, which rarely recurs.</item>
/// <item>Detail: the request phrase sharing most words with the chosen value (the first request phrase when none
/// shares a word); null with probability <see cref="NullDetailRate"/>.</item>
/// <item>Lists: one value (60 %), two (30 %) or three (10 %), at most the "At most N items." of the description,
/// without repeats.</item>
/// </list>
/// Deterministic for a given request (its content hash, which includes the request's seed), field path and simulator seed.
/// </summary>
internal sealed partial class VocabularyAnswerer
{
    public const double Temperature = 0.03;
    public const double InferredNullRate = 0.08;
    public const double OtherRate = 0.12;
    public const double UniqueOtherShare = 0.4;
    public const double ZipfExponent = 1.1;
    public const double NullDetailRate = 0.3;

    private const string RequestStart = "<<<REQUEST";
    private const string RequestEnd = "REQUEST>>>";

    private static readonly ConcurrentDictionary<string, float[]> EntryVectors = new(StringComparer.Ordinal);

    private static readonly (string Key, string[] Phrases)[] OtherPools =
    [
        ("task", ["write song lyrics", "grade an essay", "generate sql queries", "create a study plan", "write a cover letter", "make a timeline", "name characters", "score a resume", "design a database", "write test cases", "create flashcards", "draft social media posts"]),
        ("intent", ["win an argument", "prepare a lesson", "save time at work", "get a second opinion", "practise a language", "plan a trip", "promote an event", "settle a dispute", "pass a job interview", "entertain friends", "support a grant application", "fix a grade"]),
        ("profile", ["game master", "product manager", "real estate agent", "pastor", "recruiter", "musician", "architect", "nurse", "small business owner", "sales representative", "social worker", "retiree"]),
        ("domain", ["agriculture", "fashion", "food and cooking", "automotive", "telecommunications", "aviation", "music", "military and defence", "insurance", "logistics", "cryptocurrency", "pets and animals"]),
        ("knowledge", ["music theory", "cooking", "astronomy", "linguistics", "architecture", "nutrition", "game design", "accounting standards", "cryptography", "sociology", "art history", "seo"]),
        ("format", ["poem", "song lyrics", "flowchart", "mind map", "tweet", "haiku", "recipe", "press release", "cover letter", "faq", "glossary", "timeline"]),
        ("constraint", ["rhyme", "include a call to action", "use british spelling", "no bullet points", "first person", "present tense", "avoid passive voice", "include statistics", "plagiarism free", "gender neutral language", "keep the headings", "use emojis"]),
        ("reasoning", ["analogical reasoning", "spatial reasoning", "ethical reasoning", "probabilistic reasoning", "counterfactual reasoning", "abductive reasoning", "legal reasoning", "statistical inference"]),
        ("tone", ["sarcastic", "motivational", "romantic", "dramatic", "poetic", "authoritative", "playful", "nostalgic", "urgent", "diplomatic"]),
        ("length", ["two pages", "ten bullet points", "a tweet", "half a page", "five paragraphs", "one page"]),
    ];

    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "the", "for", "with", "from", "into", "that", "this", "than", "only", "over", "under", "same", "given",
        "specific", "certain", "other", "own", "one", "few", "use", "using", "make", "write", "words",
    };

    private readonly string request;
    private readonly SourceText requestText;
    private readonly ulong seed;
    private float[][]? requestVectors;
    private HashSet<string>? requestWords;

    public VocabularyAnswerer(string taskText, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(taskText);
        request = ExtractRequest(taskText);
        requestText = SourceText.From(request);
        this.seed = seed;
    }

    /// <summary>The request part of a task text (between the markers when present).</summary>
    public static string ExtractRequest(string taskText)
    {
        ArgumentNullException.ThrowIfNull(taskText);
        var start = taskText.LastIndexOf(RequestStart, StringComparison.Ordinal);
        if (start < 0)
        {
            return taskText;
        }

        start += RequestStart.Length;
        var end = taskText.IndexOf(RequestEnd, start, StringComparison.Ordinal);
        return (end < 0 ? taskText[start..] : taskText[start..end]).Trim();
    }

    /// <summary>One answer object, or null (JSON null) when the field is left empty.</summary>
    public JsonNode? Answer(string path, string fieldName, string? description, IReadOnlyList<string> vocabulary, string valueProperty, string detailProperty, bool nullable)
    {
        var random = Random(path);
        var picks = Pick(random, fieldName, description, vocabulary, 1, nullable);
        return picks.Count == 0 ? null : Object(random, picks[0], valueProperty, detailProperty);
    }

    /// <summary>A list of answer objects, or null when the field is left empty.</summary>
    public JsonNode? AnswerList(string path, string fieldName, string? description, IReadOnlyList<string> vocabulary, string valueProperty, string detailProperty, bool nullable)
    {
        var random = Random(path);
        var draw = random.NextDouble();
        var count = draw < 0.6 ? 1 : draw < 0.9 ? 2 : 3;
        if (description is not null && MaxItems().Match(description) is { Success: true } limit)
        {
            count = Math.Min(count, int.Parse(limit.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        var picks = Pick(random, fieldName, description, vocabulary, Math.Max(1, count), nullable);
        if (picks.Count == 0)
        {
            return nullable ? null : new JsonArray();
        }

        var list = new JsonArray();
        foreach (var pick in picks)
        {
            list.Add(Object(random, pick, valueProperty, detailProperty));
        }

        return list;
    }

    private DeterministicRandom Random(string path) => new(StableHash.Mix(StableHash.Mix(seed, StableHash.Hash64(request)), StableHash.Hash64(path)));

    private List<string> Pick(DeterministicRandom random, string fieldName, string? description, IReadOnlyList<string> vocabulary, int count, bool nullable)
    {
        var explicitOnly = description is not null && ExplicitOnly().IsMatch(description);
        var candidates = explicitOnly ? vocabulary.Where(MentionedInRequest).ToList() : [.. vocabulary];
        if (nullable && (candidates.Count == 0 || (!explicitOnly && random.NextDouble() < InferredNullRate)))
        {
            return [];
        }

        var scored = Score(candidates);
        var picks = new List<string>();
        for (var i = 0; i < count; i++)
        {
            if (random.NextDouble() < OtherRate)
            {
                var other = OtherText(random, fieldName);
                if (other is not null && !picks.Contains(other, StringComparer.Ordinal))
                {
                    picks.Add(other);
                    continue;
                }
            }

            var remaining = scored.Where(s => !picks.Contains(s.Entry, StringComparer.Ordinal)).ToList();
            if (remaining.Count == 0)
            {
                break;
            }

            var top = remaining.Max(s => s.Cosine);
            var weights = remaining.Select(s => Math.Exp((s.Cosine - top) / Temperature)).ToArray();
            picks.Add(remaining[random.NextWeighted(weights)].Entry);
        }

        return picks;
    }

    private List<(string Entry, double Cosine)> Score(List<string> entries)
    {
        requestVectors ??= [.. EmbeddingViews(request).Select(MiniLmEmbeddingGenerator.Embed)];
        return [.. entries.Select(e =>
        {
            var entry = EntryVectors.GetOrAdd(e, MiniLmEmbeddingGenerator.Embed);
            return (e, requestVectors.Max(v => Dot(v, entry)));
        })];
    }

    /// <summary>
    /// The parts of the request that are embedded: its first line and its last line (each at most
    /// <see cref="ViewChars"/> characters, from the start and from the end), where the instruction usually is —
    /// before or after a pasted text; the whole request when it is short. An entry's score is its best cosine over
    /// the parts, so "Summarize this article:" above a story is read as a summary, not as the story. Short inputs
    /// also keep the local model fast (about 0.3 s for 1,000 characters on a busy 2-core machine).
    /// </summary>
    private static List<string> EmbeddingViews(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length <= ViewChars)
        {
            return [trimmed];
        }

        var lines = trimmed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = lines[0].Length >= 20 ? lines[0] : trimmed;
        var last = lines[^1].Length >= 20 ? lines[^1] : trimmed;
        return
        [
            first.Length <= ViewChars ? first : first[..ViewChars],
            last.Length <= ViewChars ? last : last[^ViewChars..],
        ];
    }

    /// <summary>Characters taken from each end of the request for its embedding.</summary>
    public const int ViewChars = 240;

    private string? OtherText(DeterministicRandom random, string fieldName)
    {
        var pool = OtherPools.FirstOrDefault(p => fieldName.Contains(p.Key, StringComparison.OrdinalIgnoreCase)).Phrases;
        if (pool is null || random.NextDouble() < UniqueOtherShare)
        {
            var phrases = requestText.Phrases;
            return phrases.Count == 0 ? null : "other: " + phrases[random.NextInt(Math.Min(phrases.Count, 30))].ToLowerInvariant();
        }

        // Zipf: rank r (1-based) with weight r^-s.
        var weights = Enumerable.Range(1, pool.Length).Select(r => Math.Pow(r, -ZipfExponent)).ToArray();
        return "other: " + pool[random.NextWeighted(weights)];
    }

    private JsonObject Object(DeterministicRandom random, string value, string valueProperty, string detailProperty)
    {
        string? detail = null;
        if (random.NextDouble() >= NullDetailRate && requestText.Phrases.Count > 0)
        {
            var words = ContentWords(value.StartsWith("other:", StringComparison.Ordinal) ? value[6..] : value);
            detail = requestText.Phrases.Take(60)
                .Select((p, i) => (Phrase: p, Shared: ContentWords(p).Count(words.Contains), Index: i))
                .OrderByDescending(x => x.Shared).ThenBy(x => x.Index)
                .First().Phrase.ToLowerInvariant();
        }

        return new JsonObject { [valueProperty] = value, [detailProperty] = detail };
    }

    private bool MentionedInRequest(string entry)
    {
        requestWords ??= new HashSet<string>(Word().Matches(request).Select(m => m.Value.ToLowerInvariant()), StringComparer.Ordinal);
        var words = ContentWords(entry);
        return words.Count > 0 && words.All(requestWords.Contains);
    }

    private static HashSet<string> ContentWords(string text)
        => new(Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Where(w => w.Length >= 4 && !StopWords.Contains(w)), StringComparer.Ordinal);

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    [GeneratedRegex(@"\bonly (when|those|if)\b[^.]*\b(states?|says?|asks?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ExplicitOnly();

    [GeneratedRegex(@"At most (\d+) items", RegexOptions.IgnoreCase)]
    private static partial Regex MaxItems();

    [GeneratedRegex(@"\p{L}[\p{L}\p{N}'\-]*")]
    private static partial Regex Word();
}
