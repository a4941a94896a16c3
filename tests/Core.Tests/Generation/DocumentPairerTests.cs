using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Instructions;

namespace WildLong.Core.Tests.Generation;

public class DocumentPairerTests
{
    private static DocumentPairer Pairer(GenerationOptions options) => new(Options.Create(options), NullLogger<DocumentPairer>.Instance);

    private static IndexedDocument Doc(string id, string type, int tokens, string bucket) => new(id, "Title " + id, type, tokens, bucket);

    private static List<AgnosticInstruction> Instructions(string type, int count, TaskKind kind = TaskKind.SingleDocument)
        => [.. Enumerable.Range(0, count).Select(i => GenerationTestKit.Instruction(type, i, kind))];

    /// <summary>Buckets ordered by length: short (~4k) &lt; medium (~16k) &lt; long (~48k) &lt; xlong (~100k).</summary>
    private static List<IndexedDocument> Catalog() =>
    [
        Doc("c-s1", "legal_contract", 3_000, "short"), Doc("c-s2", "legal_contract", 4_000, "short"), Doc("c-s3", "legal_contract", 5_000, "short"),
        Doc("c-m1", "legal_contract", 15_000, "medium"), Doc("c-m2", "legal_contract", 17_000, "medium"),
        Doc("c-l1", "legal_contract", 45_000, "long"), Doc("c-l2", "legal_contract", 50_000, "long"),
        Doc("p-s1", "patent", 4_000, "short"), Doc("p-x1", "patent", 100_000, "xlong"), Doc("p-x2", "patent", 110_000, "xlong"),
        Doc("r-m1", "government_report", 16_000, "medium"), Doc("r-x1", "government_report", 90_000, "xlong"),
    ];

    [Fact]
    public async Task Single_document_pairing_follows_the_length_bucket_mix()
    {
        var options = new GenerationOptions { LengthBucketMix = new() { ["short"] = 0.5, ["medium"] = 0.3, ["long"] = 0.2 } };
        var catalog = Catalog();
        var batch = Instructions("legal_contract", 3000);

        var result = await Pairer(options).PairAsync(batch, catalog, CancellationToken.None);

        Assert.Empty(result.Quarantined);
        Assert.Equal(batch.Count, result.Items.Count);
        Assert.DoesNotContain(result.Items, p => p.UsedFallbackBucket);
        Assert.All(result.Items, p => Assert.Equal(p.RequestedLengthBucket, Assert.Single(p.Documents).LengthBucket));
        double Share(string bucket) => result.Items.Count(p => p.Documents[0].LengthBucket == bucket) / (double)result.Items.Count;
        Assert.InRange(Share("short"), 0.46, 0.54);
        Assert.InRange(Share("medium"), 0.26, 0.34);
        Assert.InRange(Share("long"), 0.17, 0.23);

        // Documents are reused, and every contract document of a bucket gets some of that bucket's instructions.
        var used = result.Items.Select(p => p.Documents[0].Id).ToHashSet();
        Assert.Equal(catalog.Where(d => d.DocumentType == "legal_contract").Select(d => d.Id).ToHashSet(), used);
    }

    [Fact]
    public async Task An_empty_bucket_falls_back_to_the_nearest_available_bucket_and_is_flagged()
    {
        // Patents exist only in "short" and "xlong"; "medium" is nearer to "short", "long" is nearer to "xlong".
        var options = new GenerationOptions { LengthBucketMix = new() { ["short"] = 0.25, ["medium"] = 0.25, ["long"] = 0.25, ["xlong"] = 0.25 } };

        var result = await Pairer(options).PairAsync(Instructions("patent", 2000), Catalog(), CancellationToken.None);

        Assert.Empty(result.Quarantined);
        var fromMedium = result.Items.Where(p => p.RequestedLengthBucket == "medium").ToList();
        var fromLong = result.Items.Where(p => p.RequestedLengthBucket == "long").ToList();
        Assert.All(fromMedium, p => Assert.True(p.UsedFallbackBucket && p.Documents[0].LengthBucket == "short"));
        Assert.All(fromLong, p => Assert.True(p.UsedFallbackBucket && p.Documents[0].LengthBucket == "xlong"));
        Assert.All(result.Items.Where(p => p.RequestedLengthBucket is "short" or "xlong"), p => Assert.False(p.UsedFallbackBucket));
        var fallbackShare = result.Items.Count(p => p.UsedFallbackBucket) / (double)result.Items.Count;
        Assert.InRange(fallbackShare, 0.46, 0.54);
    }

    [Fact]
    public async Task Instructions_without_a_document_of_their_type_are_quarantined_with_the_type()
    {
        var batch = new[] { GenerationTestKit.Instruction("poetry", 0), GenerationTestKit.Instruction("patent", 1) };

        var result = await Pairer(new GenerationOptions()).PairAsync(batch, Catalog(), CancellationToken.None);

        Assert.Equal("patent", Assert.Single(result.Items).Instruction.DocumentType);
        var entry = Assert.Single(result.Quarantined);
        Assert.Equal(DocumentPairer.StageName, entry.Stage);
        Assert.Equal("poetry#0", entry.ItemId);
        Assert.Contains("no document of type 'poetry'", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Multi_document_tasks_get_k_distinct_documents_of_their_type_within_the_token_budget()
    {
        var options = new GenerationOptions { MinDocumentsPerTask = 2, MaxDocumentsPerTask = 4, MaxMultiDocumentContextTokens = 80_000 };
        var catalog = Catalog();
        var batch = Instructions("legal_contract", 300, TaskKind.Comparison).Concat(
            Instructions("legal_contract", 300, TaskKind.Aggregation).Select(i => i with { Index = i.Index + 1000 })).ToList();

        var result = await Pairer(options).PairAsync(batch, catalog, CancellationToken.None);

        Assert.Empty(result.Quarantined);
        Assert.Equal(batch.Count, result.Items.Count);
        foreach (var pair in result.Items)
        {
            Assert.Equal(pair.Instruction.TaskKind, pair.TaskKind);
            Assert.InRange(pair.Documents.Count, 2, 4);
            Assert.All(pair.Documents, d => Assert.Equal("legal_contract", d.DocumentType));
            Assert.Equal(pair.Documents.Count, pair.Documents.Select(d => d.Id).Distinct().Count());
            Assert.True(pair.DocumentTokens <= 80_000, $"{pair.Id} uses {pair.DocumentTokens} tokens");
        }

        var sizes = result.Items.Select(p => p.Documents.Count).ToHashSet();
        Assert.Contains(2, sizes);
        Assert.Contains(4, sizes);
    }

    [Fact]
    public async Task A_multi_document_task_that_cannot_fit_enough_documents_is_quarantined()
    {
        // Both xlong patents exceed the budget together; only the short one plus one xlong would fit 105k.
        var options = new GenerationOptions { MaxMultiDocumentContextTokens = 60_000 };
        var batch = new[] { GenerationTestKit.Instruction("patent", 7, TaskKind.Comparison) };

        var result = await Pairer(options).PairAsync(batch, Catalog(), CancellationToken.None);

        Assert.Empty(result.Items);
        var entry = Assert.Single(result.Quarantined);
        Assert.Contains("needs at least 2 documents of type 'patent'", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("only 1 of 3 fit", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pairing_is_deterministic_independent_of_order_and_grouped_by_document()
    {
        var options = new GenerationOptions { LengthBucketMix = new() { ["short"] = 1, ["long"] = 1 } };
        var batch = Instructions("legal_contract", 200)
            .Concat(Instructions("legal_contract", 60, TaskKind.Comparison).Select(i => i with { Index = i.Index + 500 }))
            .ToList();
        var catalog = Catalog();
        var shuffledCatalog = Enumerable.Reverse(catalog).ToList();

        var first = await Pairer(options).PairAsync(batch, catalog, CancellationToken.None);
        var second = await Pairer(options).PairAsync([.. Enumerable.Reverse(batch)], shuffledCatalog, CancellationToken.None);
        var otherSeed = await Pairer(new GenerationOptions { Seed = 7, LengthBucketMix = options.LengthBucketMix }).PairAsync(batch, catalog, CancellationToken.None);

        Assert.Equal(first.Items.Select(p => p.Id), second.Items.Select(p => p.Id));
        Assert.NotEqual(first.Items.Select(p => p.Id).Order(), otherSeed.Items.Select(p => p.Id).Order());

        // Grouped: once a group key is left, it never reappears.
        var seen = new HashSet<string>();
        string? current = null;
        foreach (var key in first.Items.Select(p => p.GroupKey))
        {
            if (key != current)
            {
                Assert.True(seen.Add(key), $"group {key} is split");
                current = key;
            }
        }
    }

    [Fact]
    public async Task Planned_pairs_survive_a_json_round_trip_as_activity_payloads()
    {
        var result = await Pairer(new GenerationOptions()).PairAsync(
            [GenerationTestKit.Instruction("legal_contract", 5, TaskKind.Aggregation), GenerationTestKit.Instruction("patent", 6)], Catalog(), CancellationToken.None);

        var json = System.Text.Json.JsonSerializer.Serialize(result.Items, Common.WildLongJson.Options);
        var back = System.Text.Json.JsonSerializer.Deserialize<List<PlannedPair>>(json, Common.WildLongJson.Options)!;

        Assert.Contains("\"task_kind\":\"aggregation\"", json, StringComparison.Ordinal);
        Assert.Equal(result.Items.Select(p => p.Id), back.Select(p => p.Id));
        Assert.Equal(result.Items.Select(p => p.Instruction.Steps.Count), back.Select(p => p.Instruction.Steps.Count));
        Assert.Equal(json, System.Text.Json.JsonSerializer.Serialize(back, Common.WildLongJson.Options));
    }
}
