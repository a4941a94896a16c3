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
    /// and a few other frequent languages of the query logs. A bare link is not a reference: the model cannot read
    /// it and the method needs the text itself. Patterns are written to avoid the false positives seen in real logs:
    /// the English word "resume" (CV) in the Spanish and French patterns, requests to create a text ("write the
    /// script", "напиши текст", "写一篇文章"), "in the context of a hypothetical …", "the following function".
    /// </summary>
    public static IReadOnlyList<string> DefaultReferencePatterns { get; } =
    [
        @"\b(the|this|these|those)\s+(following|below|above|attached|enclosed|provided|given|pasted)\b",
        @"\b(following|below|above|attached|enclosed|provided|given|pasted)\s+(text|article|paper|document|passage|paragraphs?|essay|story|email|e-mail|letter|report|transcript|contract|chapter|code|script|file|excerpt|content|abstract|speech|poem|review|information|data|table|list|notes|conversation|dialogue|lyrics|sentences?)\b",
        // "this/my <text>" points at a text; "the <text>" and "your <text>" mostly do not ("write the script", "the
        // code for a game"), and "my website"/"the meeting" name things, not texts.
        @"\b(this|that|my|these)\s+(text|article|paper|document|passage|paragraphs?|essay|story|email|e-mail|letter|report|transcript|contract|chapter|book|code|script|file|pdf|excerpt|abstract|speech|poem|manuscript|thesis|resume|cv|notes|lyrics|screenplay|novel|blog post)\b",
        @"\b(summari[sz]e|tl;?dr|paraphrase|rephrase|proofread|rewrite|reword)\b",
        @"\bsummary\s+of\s+(this|that|these|my|the\s+(following|above|below|text|article|paper|document|passage|report|transcript|chapter|book|email|conversation))\b",
        @"\b(below|attached|enclosed|as follows)\s*[:：]",
        @"\b(in|from|based on|according to)\s+(the|this|that)\s+(text|article|paper|document|passage|report|transcript|book|chapter|story)\b",
        @"\b(based on|according to|using)\s+(the|this)\s+(given\s+|provided\s+)?context\b",
        @"```",
        @"(?s)[:：]\s*\S.{400,}",
        @"(^>.*\n){2,}",
        @"""[^""\n]{200,}""",
        // Chinese: "the following/below", "this article/passage", "full text", "summarize"; not 文章 alone ("写一篇文章": write an article).
        @"(以下|下面|下列|这篇|这段|本文|文本|全文|总结|概括)",
        // Spanish: "resume el …" (summarize the …), not the English word "resume"; "the following text", "this text".
        @"\bres[uú]me(lo|n)?\s+(el|la|los|las|este|esta|estos|estas)\b",
        @"\bresumen\s+(de|del)\b",
        @"\b(el|la|los|las)\s+siguientes?\s+(texto|art[ií]culo|p[áa]rrafos?|documento|c[óo]digo|correo|carta|informe|historia)\b",
        @"\b(este|esta|el)\s+(texto|art[ií]culo|documento|p[áa]rrafo)\b",
        // French: "résume/résumez ce …", "fais un résumé", "ce texte", "ci-dessous"; not the English "resume"/"résumé".
        @"\br[ée]sume[rz]?\s+(ce|cet|cette|le|la|les)\b",
        @"\bfai(s|tes)\s+(un|le)\s+r[ée]sum[ée]\b",
        @"\b(ci-dessous|ce texte|cet article|ce document|le texte suivant)\b",
        @"\b(folgenden?|diesen text|zusammenfassung|zusammenfassen)\b",
        // Russian: "this/the following text", "this article", "retell", "document"; not "напиши текст" (write a text).
        @"(этот|данный|следующий|приведенный|приведённый)\s+текст|текст[аеу]?\s*:|(эт[аоуи]й?|данн[аоуы][яюй]?)\s+стать|следующ\S*\s+(текст|стать|документ|абзац|фрагмент|код|истори|письм)|документ|кратко перескажи|перескажи",
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
