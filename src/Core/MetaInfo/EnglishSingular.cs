using System.Collections.Frozen;

namespace WildLong.Core.MetaInfo;

/// <summary>
/// Simple, conservative English plural folding for meta-information values ("contracts" → "contract",
/// "summaries" → "summary", "analyses" → "analysis") that leaves singular words ending in s alone ("analysis",
/// "news", "class", "status", "physics"). Only lowercase ASCII words are touched; anything else is returned as is.
/// </summary>
internal static class EnglishSingular
{
    private static readonly FrozenDictionary<string, string> Irregular = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["children"] = "child", ["men"] = "man", ["women"] = "woman", ["feet"] = "foot", ["teeth"] = "tooth",
        ["mice"] = "mouse", ["geese"] = "goose", ["criteria"] = "criterion", ["phenomena"] = "phenomenon",
        ["analyses"] = "analysis", ["theses"] = "thesis", ["hypotheses"] = "hypothesis", ["synopses"] = "synopsis",
        ["crises"] = "crisis", ["diagnoses"] = "diagnosis", ["parentheses"] = "parenthesis", ["emphases"] = "emphasis",
        ["prognoses"] = "prognosis", ["syntheses"] = "synthesis", ["axes"] = "axis",
        ["indices"] = "index", ["appendices"] = "appendix", ["matrices"] = "matrix", ["vertices"] = "vertex",
        ["lives"] = "life", ["wives"] = "wife", ["knives"] = "knife", ["leaves"] = "leaf", ["halves"] = "half",
        ["wolves"] = "wolf", ["shelves"] = "shelf", ["selves"] = "self", ["thieves"] = "thief", ["calves"] = "calf",
        ["heroes"] = "hero", ["potatoes"] = "potato", ["tomatoes"] = "tomato", ["echoes"] = "echo",
        ["vetoes"] = "veto", ["volcanoes"] = "volcano", ["buses"] = "bus", ["gases"] = "gas", ["quizzes"] = "quiz",
        ["caches"] = "cache", ["niches"] = "niche", ["headaches"] = "headache", ["cliches"] = "cliche",
        ["avalanches"] = "avalanche", ["moustaches"] = "moustache", ["mustaches"] = "mustache", ["psyches"] = "psyche",
        ["aches"] = "ache",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Words ending in s that are singular, uncountable or not nouns.</summary>
    private static readonly FrozenSet<string> Invariant = new[]
    {
        "news", "series", "species", "means", "headquarters", "crossroads", "whereabouts", "innings", "lens",
        "always", "perhaps", "sometimes", "towards", "afterwards", "backwards", "forwards", "upwards", "downwards",
        "besides", "whereas", "does", "goes", "has", "was", "this", "its", "his", "hers", "ours", "yours", "theirs",
        "pros", "cons", "yes", "thanks", "kudos", "chaos", "ethos", "pathos", "logos", "canvas", "atlas", "alias",
        "bias", "gas", "plus", "christmas", "texas", "paris", "athletics", "aerobics", "gymnastics",
        "physics", "mathematics", "economics", "ethics", "politics", "linguistics", "statistics", "analytics",
        "genetics", "logistics", "semantics", "pragmatics", "phonetics", "aesthetics", "electronics", "robotics",
        "acoustics", "optics", "dynamics", "mechanics", "thermodynamics", "informatics", "bioinformatics",
        "ergonomics", "kinetics", "diagnostics", "metaphysics", "geopolitics", "demographics", "forensics",
        "humanities", "classics", "graphics", "basics", "econometrics", "biomechanics", "dos", "vs",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Nouns ending in -ie whose plural is -ies (so "-ies" → "-ie", not "-y").</summary>
    private static readonly FrozenSet<string> IeNouns = new[]
    {
        "movie", "cookie", "zombie", "rookie", "calorie", "selfie", "prairie", "freebie", "goodie", "smoothie",
        "brownie", "pixie", "necktie", "sortie", "veggie", "hoodie", "newbie", "birdie", "magpie", "techie",
        "foodie", "indie", "bookie", "genie", "lingerie", "auntie", "hippie", "yuppie", "boogie", "eerie",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static string Singular(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length <= 3 || word[^1] != 's' || !IsLowerAscii(word))
        {
            return word;
        }

        if (Irregular.TryGetValue(word, out var irregular))
        {
            return irregular;
        }

        if (Invariant.Contains(word)
            || word.EndsWith("ss", StringComparison.Ordinal)
            || word.EndsWith("us", StringComparison.Ordinal)
            || word.EndsWith("is", StringComparison.Ordinal)
            || word.EndsWith("ous", StringComparison.Ordinal))
        {
            return word;
        }

        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            var ie = word[..^1];
            return IeNouns.Contains(ie) ? ie : word[..^3] + "y";
        }

        if (word.EndsWith("sses", StringComparison.Ordinal)
            || word.EndsWith("shes", StringComparison.Ordinal)
            || word.EndsWith("ches", StringComparison.Ordinal)
            || word.EndsWith("xes", StringComparison.Ordinal)
            || word.EndsWith("zzes", StringComparison.Ordinal))
        {
            return word[..^2];
        }

        return word[..^1];
    }

    private static bool IsLowerAscii(string word)
    {
        foreach (var c in word)
        {
            if (c is < 'a' or > 'z')
            {
                return false;
            }
        }

        return true;
    }
}
