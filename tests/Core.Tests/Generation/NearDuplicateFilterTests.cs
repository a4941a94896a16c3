using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Generation;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Generation;

public partial class NearDuplicateFilterTests
{
    private const double Threshold = 0.75;

    private static readonly Lazy<List<(string Id, string Text)>> RealQueries = new(() =>
        [.. File.ReadLines(TestData.QueriesJsonl).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return (json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("text").GetString()!);
        })]);

    private static NearDuplicateFilter Filter() => new(Options.Create(new GenerationOptions { DedupJaccardThreshold = Threshold, DedupShingleSize = 3 }));

    /// <summary>An independent reference: exact Jaccard over sets of word-trigram strings.</summary>
    private static double ReferenceJaccard(string a, string b)
    {
        return Jaccard(ReferenceShingles(a), ReferenceShingles(b));
    }

    private static double Jaccard(HashSet<string> x, HashSet<string> y)
    {
        var common = x.Count(y.Contains);
        return x.Count + y.Count == 0 ? 1 : common / (double)(x.Count + y.Count - common);
    }

    private static HashSet<string> ReferenceShingles(string text)
    {
        var words = Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToArray();
        var size = Math.Min(3, words.Length);
        return [.. Enumerable.Range(0, words.Length - size + 1).Where(_ => size > 0).Select(i => string.Join(' ', words[i..(i + size)]))];
    }

    private static int WordCount(string text) => Word().Count(text);

    /// <summary>Real queries of 60+ words that are pairwise clearly distinct (reference Jaccard below 0.3).</summary>
    private static List<(string Id, string Text)> DistinctRealQueries(int count)
    {
        var chosen = new List<(string Id, string Text)>();
        foreach (var query in RealQueries.Value.Where(q => WordCount(q.Text) is >= 60 and <= 3000))
        {
            if (chosen.All(c => ReferenceJaccard(c.Text, query.Text) < 0.3))
            {
                chosen.Add(query);
            }

            if (chosen.Count == count)
            {
                break;
            }
        }

        Assert.Equal(count, chosen.Count);
        return chosen;
    }

    /// <summary>A light edit: one word replaced, one deleted, or casing/punctuation changed plus a word appended.</summary>
    private static string LightlyEdited(string text, int variant)
    {
        var matches = Word().Matches(text);
        var middle = matches[matches.Count / 2];
        return (variant % 3) switch
        {
            0 => text[..middle.Index] + "zebra" + text[(middle.Index + middle.Length)..],
            1 => text[..middle.Index] + text[(middle.Index + middle.Length)..],
            _ => text.ToUpperInvariant().Replace(",", " ;", StringComparison.Ordinal) + " Thanks!",
        };
    }

    [Fact]
    public void Lightly_edited_copies_of_real_queries_are_removed_and_distinct_queries_are_kept()
    {
        var originals = DistinctRealQueries(30);
        var items = new List<(string Id, string Text)>();
        for (var i = 0; i < originals.Count; i++)
        {
            items.Add(originals[i]);
            if (i % 2 == 0)
            {
                items.Add((originals[i].Id + "-edited", LightlyEdited(originals[i].Text, i / 2)));
            }
        }

        var result = Filter().Filter(items, x => x.Id, x => x.Text);

        Assert.Equal(originals.Select(o => o.Id), result.Kept.Select(k => k.Id));
        Assert.Equal(15, result.Removed.Count);
        Assert.All(result.Removed, r =>
        {
            Assert.Equal(r.DuplicateOfId + "-edited", r.ItemId);
            Assert.Equal(r.DuplicateOfId, items[r.DuplicateOfPosition].Id);
            Assert.InRange(r.Similarity, Threshold, 1.0);
            Assert.Equal(ReferenceJaccard(items[r.Position].Text, items[r.DuplicateOfPosition].Text), r.Similarity, 9);
        });
    }

    [Fact]
    public void The_first_of_a_near_duplicate_group_in_input_order_is_the_one_kept()
    {
        var original = DistinctRealQueries(1)[0];
        var edited = (Id: "edited", Text: LightlyEdited(original.Text, 0));

        var forward = Filter().Filter([original, edited], x => x.Id, x => x.Text);
        var backward = Filter().Filter([edited, original], x => x.Id, x => x.Text);

        Assert.Equal(original.Id, Assert.Single(forward.Kept).Id);
        Assert.Equal("edited", Assert.Single(backward.Kept).Id);
        Assert.Equal(original.Id, Assert.Single(backward.Removed).ItemId);
    }

    [Fact]
    public void Matches_exhaustive_greedy_deduplication_on_the_real_query_sample()
    {
        var queries = RealQueries.Value;
        var expectedKept = new List<(string Id, HashSet<string> Shingles)>();
        foreach (var query in queries)
        {
            var shingles = ReferenceShingles(query.Text);
            if (expectedKept.All(k => Jaccard(k.Shingles, shingles) < Threshold))
            {
                expectedKept.Add((query.Id, shingles));
            }
        }

        var result = Filter().Filter(queries, q => q.Id, q => q.Text);

        Assert.Equal(expectedKept.Select(k => k.Id), result.Kept.Select(k => k.Id));
        Assert.Equal(queries.Count - expectedKept.Count, result.Removed.Count);
        Assert.NotEmpty(result.Removed); // the sample has real near-duplicates (templated WildChat prompts)
    }

    [Fact]
    public void Short_texts_compare_as_a_whole_and_empty_texts_are_kept()
    {
        var items = new[] { "Hi there", "hi, THERE!", "Goodbye now", "", "   " };

        var result = Filter().Filter(items, x => x, x => x);

        Assert.Equal(["Hi there", "Goodbye now", "", "   "], result.Kept);
        Assert.Equal("hi, THERE!", Assert.Single(result.Removed).ItemId);
    }

    [Fact]
    public async Task Filtering_training_records_quarantines_each_duplicate_with_its_reason()
    {
        var originals = DistinctRealQueries(2);
        TrainingRecord Record(string id, string instruction) => TrainingRecordJsonlTests.Record(id, instruction);
        var batch = new[]
        {
            Record("a", originals[0].Text),
            Record("b", originals[1].Text),
            Record("c", LightlyEdited(originals[0].Text, 1)),
        };

        var result = await Filter().FilterAsync(batch, CancellationToken.None);

        Assert.Equal(["a", "b"], result.Items.Select(r => r.Meta.Id));
        var entry = Assert.Single(result.Quarantined);
        Assert.Equal(StageNames.NearDuplicateFilter, entry.Stage);
        Assert.Equal("c", entry.ItemId);
        Assert.StartsWith("near-duplicate of 'a' (Jaccard 0.", entry.Reason, StringComparison.Ordinal);
        Assert.Equal(QuarantineEntry.PairItem, entry.ItemKind);
    }

    [GeneratedRegex(@"[\p{L}\p{Nd}]+")]
    private static partial Regex Word();
}
