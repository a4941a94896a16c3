using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WildLong.Core.Queries;

/// <summary>
/// A cheap, model-free first pass over the query pool. WildLong keeps only queries that bring or refer to a long
/// document; most chat queries do not, and asking the model about each one would cost a call per greeting. A query
/// is kept when it is long, or short but refers to a document (patterns), or pastes many lines; trivially short
/// ones are dropped. Stateless and thread-safe.
/// </summary>
public sealed class LongContextPreFilter
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);
    private readonly LongContextPreFilterOptions options;
    private readonly IReadOnlyList<Regex> patterns;

    public LongContextPreFilter(IOptions<LongContextPreFilterOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        var sources = (this.options.ReferencePatterns ?? [.. LongContextPreFilterOptions.DefaultReferencePatterns])
            .Concat(this.options.AdditionalReferencePatterns ?? []);
        var compiled = new List<Regex>();
        foreach (var source in sources.Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            try
            {
                compiled.Add(new Regex(source, RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, MatchTimeout));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"pre-filter reference pattern '{source}' is not a valid regular expression: {ex.Message}", nameof(options), ex);
            }
        }

        patterns = compiled;
    }

    /// <summary>A filter with the default thresholds and patterns.</summary>
    public static LongContextPreFilter Default { get; } = new(Options.Create(new LongContextPreFilterOptions()));

    public LongContextPreFilterDecision Evaluate(UserQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Evaluate(query.Text);
    }

    public LongContextPreFilterDecision Evaluate(string? text)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        var length = trimmed.Length;
        if (length >= options.MinChars)
        {
            return new(true, $"long ({length} chars ≥ {options.MinChars})");
        }

        if (length < options.MinCharsWithReference)
        {
            return new(false, $"trivially short ({length} chars < {options.MinCharsWithReference})");
        }

        var lines = CountNonEmptyLines(trimmed);
        if (lines >= options.MinLinesForPastedText)
        {
            return new(true, $"pasted text ({lines} non-empty lines ≥ {options.MinLinesForPastedText})");
        }

        foreach (var pattern in patterns)
        {
            Match match;
            try
            {
                match = pattern.Match(trimmed);
            }
            catch (RegexMatchTimeoutException)
            {
                continue;
            }

            if (match.Success)
            {
                return new(true, $"refers to a document ({length} chars; matched \"{Snippet(match.Value)}\")");
            }
        }

        return new(false, $"short ({length} chars < {options.MinChars}) and no reference to a document");
    }

    private static int CountNonEmptyLines(string text)
    {
        var count = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (!line.IsWhiteSpace())
            {
                count++;
            }
        }

        return count;
    }

    private static string Snippet(string value)
    {
        var flat = value.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 40 ? flat : flat[..40] + "…";
    }
}
