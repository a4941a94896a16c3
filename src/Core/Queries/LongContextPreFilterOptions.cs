namespace WildLong.Core.Queries;

/// <summary>
/// Thresholds and patterns of the cheap pre-filter that runs before meta-information extraction. It is tuned for
/// recall: the model's verdict decides in the end, the pre-filter only spares model calls on queries that cannot
/// be long-context requests (greetings, one-line questions).
/// </summary>
public sealed class LongContextPreFilterOptions
{
    public const string SectionName = "WildLong:PreFilter";

    /// <summary>
    /// The built-in reference patterns (case-insensitive regular expressions): phrases that point at a text
    /// ("the following article", "summarize this", "below", "attached"), code fences, quoted blocks and a colon
    /// followed by a long passage ("please check: &lt;text&gt;"), in English
    /// and a few other frequent languages of the query logs.
    /// </summary>
    public static IReadOnlyList<string> DefaultReferencePatterns { get; } =
    [
        @"\b(the|this|these|those)\s+(following|below|above|attached|enclosed|provided|given|pasted)\b",
        @"\b(following|below|above|attached|enclosed|provided|given|pasted)\s+(text|article|paper|document|passage|paragraphs?|essay|story|email|e-mail|letter|report|transcript|contract|chapter|code|script|file|excerpt|content|abstract|speech|poem|review|information|data|table|list|notes|conversation|dialogue|lyrics|sentences?)\b",
        @"\b(this|that|my|the|your|these)\s+(text|article|paper|document|passage|paragraphs?|essay|story|email|e-mail|letter|report|transcript|contract|chapter|book|code|script|file|pdf|excerpt|abstract|speech|poem|manuscript|thesis|resume|cv|notes|lyrics|screenplay|novel|blog post|web ?page|website|meeting|lecture|conversation)\b",
        @"\b(summari[sz]e|summary of|tl;?dr|paraphrase|rephrase|proofread|rewrite|reword)\b",
        @"\b(below|attached|enclosed|as follows)\s*[:：]",
        @"\b(in|from|based on|according to)\s+(the|this|that)\s+(text|article|paper|document|passage|context|report|transcript|book|chapter|story)\b",
        @"https?://\S+",
        @"```",
        @"(?s)[:：]\s*\S.{400,}",
        @"(^>.*\n){2,}",
        @"""[^""\n]{200,}""",
        @"(以下|下面|下列|这篇|这段|本文|文章|文本|全文|总结|概括)",
        @"\b(siguiente|texto|art[ií]culo|resume|resumen)\b",
        @"\b(suivant|ci-dessous|ce texte|cet article|r[ée]sum[ée])\b",
        @"\b(folgenden?|diesen text|zusammenfassung|zusammenfassen)\b",
        @"(следующ|текст|стать[яюи]|документ|кратко перескажи)",
        @"(التالي|النص|المقال)",
    ];

    /// <summary>Queries at least this long (characters, trimmed) are kept without looking further.</summary>
    public int MinChars { get; set; } = 1_500;

    /// <summary>
    /// Queries shorter than this are dropped even when they match a pattern ("summarize" alone says nothing). Kept
    /// low because characters undercount CJK text: "请总结以下文章的要点" is a full request in 10 characters.
    /// </summary>
    public int MinCharsWithReference { get; set; } = 10;

    /// <summary>Queries with at least this many non-empty lines are kept as pasted text (code, tables, logs).</summary>
    public int MinLinesForPastedText { get; set; } = 12;

    /// <summary>Replaces <see cref="DefaultReferencePatterns"/> when set.</summary>
    public List<string>? ReferencePatterns { get; set; }

    /// <summary>Patterns added to the defaults (or to <see cref="ReferencePatterns"/>).</summary>
    public List<string> AdditionalReferencePatterns { get; set; } = [];
}
