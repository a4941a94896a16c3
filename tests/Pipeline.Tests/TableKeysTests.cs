using WildLong.Storage.Tables;

namespace WildLong.Pipeline.Tests;

/// <summary>Key encoding: legal characters only, bounded length, different texts give different keys.</summary>
public sealed class TableKeysTests
{
    [Fact]
    public void Encoded_keys_are_legal_bounded_and_distinct()
    {
        string[] texts =
        [
            "legal_contract", "a/b", "a%2Fb", "a#b", "a?b", "a\\b", "a|b", "~ledger", "%7Eledger", "tab\there", "\u0001",
            "日本語", "😀", "A", "a", new string('x', 300), new string('x', 301), new string('x', 300) + "y", " ", string.Empty,
        ];

        var keys = texts.Select(t => TableKeys.Encode(t)).ToList();

        Assert.Equal(texts.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, k => Assert.True(k.Length <= 200, k));
        Assert.All(keys, k => Assert.DoesNotContain(k, c => c is '/' or '\\' or '#' or '?' or '|' || char.IsControl(c) || c > 0x7e));
        Assert.All(keys.Where((_, i) => texts[i].Length < 60), k => Assert.DoesNotContain('~', k));
        Assert.Equal("legal_contract", keys[0]);
        Assert.Equal("%7Eledger", keys[7]);
    }
}
