using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace WildLong.Core.MetaInfo;

/// <summary>
/// The canonical form of one meta-information value, computed locally (no global state), so it can run inside
/// every extraction batch: NFKC, lowercase, punctuation noise stripped, whitespace collapsed, plural head words
/// folded, then synonyms applied. Values that differ only in such surface details become one graph node; merging
/// values that are merely similar needs global counts and is done by <see cref="NearDuplicateMerger"/>.
/// Stateless and thread-safe.
/// </summary>
public sealed class ValueNormalizer
{
    /// <summary>Words after which the preceding word is a head noun ("lists of …", "summaries and …").</summary>
    private static readonly HashSet<string> Connectors = new(StringComparer.Ordinal)
    {
        "of", "and", "or", "for", "in", "on", "with", "to", "from", "about", "by", "vs", "versus", "&",
    };

    /// <summary>Words that make a following plural a real plural ("200 words", "several documents").</summary>
    private static readonly HashSet<string> CountWords = new(StringComparer.Ordinal)
    {
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty", "hundred",
        "thousand", "several", "many", "multiple", "few", "numerous", "various", "both",
    };

    private readonly ValueNormalizerOptions options;
    private readonly Dictionary<string, string> globalSynonyms;
    private readonly Dictionary<string, Dictionary<string, string>> fieldSynonyms;
    private readonly HashSet<string> nullValues;

    public ValueNormalizer(IOptions<ValueNormalizerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        nullValues = new HashSet<string>(
            (this.options.NullValues ?? [.. ValueNormalizerOptions.DefaultNullValues]).Select(Clean).Where(v => v.Length > 0),
            StringComparer.Ordinal);
        globalSynonyms = PrepareSynonyms(this.options.Synonyms);
        fieldSynonyms = (this.options.FieldSynonyms ?? []).ToDictionary(kv => kv.Key, kv => PrepareSynonyms(kv.Value), StringComparer.Ordinal);
    }

    /// <summary>A normalizer with default options (no synonyms).</summary>
    public static ValueNormalizer Default { get; } = new(Options.Create(new ValueNormalizerOptions()));

    /// <summary>The canonical form of <paramref name="value"/> in <paramref name="field"/>, or null when nothing is left.</summary>
    public string? Normalize(string field, string? value)
    {
        var canonical = Fold(value);
        if (canonical is null)
        {
            return null;
        }

        if (fieldSynonyms.TryGetValue(field ?? string.Empty, out var perField) && perField.TryGetValue(canonical, out var mapped))
        {
            return mapped;
        }

        return globalSynonyms.TryGetValue(canonical, out var global) ? global : canonical;
    }

    /// <summary>Normalizes several values of one field, dropping empty ones and duplicates (first occurrence wins).</summary>
    public IReadOnlyList<string> NormalizeAll(string field, IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var value in values)
        {
            var canonical = Normalize(field, value);
            if (canonical is not null && seen.Add(canonical))
            {
                result.Add(canonical);
            }
        }

        return result;
    }

    private string? Fold(string? value)
    {
        var cleaned = Clean(value);
        if (cleaned.Length == 0 || nullValues.Contains(cleaned))
        {
            return null;
        }

        return options.FoldPlurals ? FoldPlurals(cleaned) : cleaned;
    }

    private Dictionary<string, string> PrepareSynonyms(Dictionary<string, string>? synonyms)
    {
        var prepared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (from, to) in synonyms ?? [])
        {
            var key = Fold(from);
            var target = Fold(to);
            if (key is not null && target is not null)
            {
                prepared[key] = target;
            }
        }

        return prepared;
    }

    /// <summary>NFKC, lowercase, punctuation to spaces (keeping + # &amp; and inner dots), apostrophes dropped, whitespace collapsed.</summary>
    private static string Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        var text = value.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\'' or '\u2019' or '\u2018' or '`')
            {
                continue;
            }

            var keep = char.IsLetterOrDigit(c)
                || c is '+' or '#' or '&'
                || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                || (c == '.' && i > 0 && i < text.Length - 1 && char.IsLetterOrDigit(text[i - 1]) && char.IsLetterOrDigit(text[i + 1]));
            if (!keep)
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Singularizes head words: the last word, and each word followed by a connector ("lists of items"); a plural
    /// after a number or count word is a real plural and stays ("under 200 words", "several documents").
    /// </summary>
    private static string FoldPlurals(string text)
    {
        var words = text.Split(' ');
        var counted = false;
        for (var i = 0; i < words.Length; i++)
        {
            if (Connectors.Contains(words[i]))
            {
                counted = false;
                continue;
            }

            if (CountWords.Contains(words[i]) || words[i].Any(char.IsAsciiDigit))
            {
                counted = true;
                continue;
            }

            var isHead = i == words.Length - 1 || Connectors.Contains(words[i + 1]);
            if (isHead && !counted)
            {
                words[i] = EnglishSingular.Singular(words[i]);
            }
        }

        return string.Join(' ', words);
    }
}
