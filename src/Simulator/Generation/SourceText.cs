using System.Text.RegularExpressions;

namespace WildLong.Simulator.Generation;

/// <summary>
/// Sentences and short noun phrases cut from a request's own text. Simulated answers are assembled from them so
/// that downstream stages (graphs of extracted values, answers quoting documents) see real structure instead of
/// placeholder strings.
/// </summary>
internal sealed partial class SourceText
{
    private const int MaxScannedChars = 400_000;
    private const int MaxPhrases = 4_000;
    private const int MaxSentences = 4_000;

    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "and", "or", "but", "if", "then", "else", "of", "to", "in", "on", "at", "by", "for", "with",
        "from", "into", "onto", "about", "as", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does",
        "did", "doing", "have", "has", "had", "having", "it", "its", "this", "that", "these", "those", "there", "here",
        "i", "me", "my", "we", "our", "you", "your", "he", "him", "his", "she", "her", "they", "them", "their", "what",
        "which", "who", "whom", "whose", "when", "where", "why", "how", "not", "no", "nor", "so", "too", "very", "can",
        "could", "should", "would", "will", "shall", "may", "might", "must", "also", "just", "only", "than", "such",
        "any", "all", "each", "every", "some", "more", "most", "other", "own", "same", "both", "few", "many", "much",
        "up", "down", "out", "over", "under", "again", "further", "once", "while", "because", "until", "after",
        "before", "between", "through", "during", "above", "below", "off", "s", "t", "don", "please", "want", "need",
        "like", "make", "get", "give", "use", "using", "used", "one", "two", "three", "per", "via", "etc", "e", "g",
        "ie", "yes", "ok", "now", "let", "us", "within", "without", "whether", "upon", "among", "however", "thus", "therefore",
    };

    private SourceText(IReadOnlyList<string> sentences, IReadOnlyList<string> phrases, bool isAttributeList)
    {
        Sentences = sentences;
        Phrases = phrases;
        IsAttributeList = isAttributeList;
    }

    /// <summary>True when the text is mostly a list (two or more lines start with "-", "*" or "•"): a spec, not prose.</summary>
    public bool IsAttributeList { get; }

    /// <summary>Sentences of 4–60 words, in text order.</summary>
    public IReadOnlyList<string> Sentences { get; }

    /// <summary>Distinct runs of 1–4 content words (no stop words, no punctuation inside), in text order.</summary>
    public IReadOnlyList<string> Phrases { get; }

    /// <summary>
    /// This text's phrases with at least one content word <paramref name="other"/> does not use (all of them when
    /// fewer than two would remain).
    /// </summary>
    public IReadOnlyList<string> PhrasesNotIn(SourceText? other)
    {
        if (other is null || other.Phrases.Count == 0)
        {
            return Phrases;
        }

        var words = new HashSet<string>(other.Phrases.SelectMany(p => p.Split(' ')), StringComparer.OrdinalIgnoreCase);
        var own = Phrases.Where(p => !p.Split(' ').All(words.Contains)).ToList();
        return own.Count >= 2 ? own : Phrases;
    }

    public static SourceText From(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxScannedChars)
        {
            text = text[..MaxScannedChars];
        }

        var sentences = new List<string>();
        foreach (var piece in SentenceBreak().Split(text))
        {
            var sentence = Whitespace().Replace(piece, " ").Trim();
            var words = sentence.Split(' ').Length;
            if (words is >= 4 and <= 60 && sentence.Any(char.IsLetter))
            {
                sentences.Add(sentence);
                if (sentences.Count >= MaxSentences)
                {
                    break;
                }
            }
        }

        var phrases = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var clause in ClauseBreak().Split(text))
        {
            var run = new List<string>();
            foreach (Match word in Word().Matches(clause))
            {
                if (StopWords.Contains(word.Value) || run.Count == 4)
                {
                    AddPhrase(run, phrases, seen);
                    run.Clear();
                    if (StopWords.Contains(word.Value))
                    {
                        continue;
                    }
                }

                run.Add(word.Value);
            }

            AddPhrase(run, phrases, seen);
            if (phrases.Count >= MaxPhrases)
            {
                break;
            }
        }

        return new SourceText(sentences, phrases, ListItem().Count(text) >= 2);
    }

    private static void AddPhrase(List<string> run, List<string> phrases, HashSet<string> seen)
    {
        if (run.Count == 0 || !run.Any(w => w.Length >= 3 && w.Any(char.IsLetter)))
        {
            return;
        }

        var phrase = string.Join(' ', run);
        if (phrase.Length <= 60 && seen.Add(phrase))
        {
            phrases.Add(phrase);
        }
    }

    [GeneratedRegex(@"(?<=[.!?;:])\s+|\n\s*\n|\r?\n(?=\s*[-*•\d#])")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"[.,;:!?()\[\]{}""“”«»\n\r\t/|<>=*#]+")]
    private static partial Regex ClauseBreak();

    [GeneratedRegex(@"\p{L}[\p{L}\p{N}'’\-]*|\p{N}+(?:[.,]\p{N}+)?")]
    private static partial Regex Word();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^[ \t]*[-*•][ \t]", RegexOptions.Multiline)]
    private static partial Regex ListItem();
}
