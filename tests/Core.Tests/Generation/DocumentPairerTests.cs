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
    public async Task Buckets_a_type_lacks_go_to_other_types_so_the_overall_mix_holds()
    {
        // Patents exist only in "short" and "xlong", contracts in short/medium/long: together they can still follow
        // an even four-way mix, patents taking the xlong share and contracts the medium and long shares.
        var options = new GenerationOptions { LengthBucketMix = new() { ["short"] = 0.25, ["medium"] = 0.25, ["long"] = 0.25, ["xlong"] = 0.25 } };
        var batch = Instructions("patent", 400).Concat(Instructions("legal_contract", 1200).Select(i => i with { Index = i.Index + 10_000 })).ToList();

        var result = await Pairer(options).PairAsync(batch, Catalog(), CancellationToken.None);

        Assert.Empty(result.Quarantined);
        Assert.DoesNotContain(result.Items, p => p.UsedFallbackBucket);
        Assert.All(result.Items, p => Assert.Equal(p.RequestedLengthBucket, p.Documents[0].LengthBucket));
        foreach (var bucket in new[] { "short", "medium", "long", "xlong" })
        {
            var share = result.Items.Count(p => p.Documents[0].LengthBucket == bucket) / (double)result.Items.Count;
            Assert.InRange(share, 0.24, 0.26);
        }
    }

    [Fact]
    public async Task A_type_with_no_document_in_any_bucket_of_the_mix_falls_back_to_the_nearest_and_is_flagged()
    {
        // Government reports exist only in "medium" and "xlong"; a mix of short and long only has neither.
        var options = new GenerationOptions { LengthBucketMix = new() { ["short"] = 0.5, ["long"] = 0.5 } };

        var result = await Pairer(options).PairAsync(Instructions("government_report", 400), Catalog(), CancellationToken.None);

        Assert.Empty(result.Quarantined);
        Assert.All(result.Items, p => Assert.True(p.UsedFallbackBucket));
        // "short" is nearest to "medium"; "long" is as near to "medium" as to "xlong", and ties go to the shorter.
        Assert.Contains(result.Items, p => p.RequestedLengthBucket == "short");
        Assert.Contains(result.Items, p => p.RequestedLengthBucket == "long");
        Assert.All(result.Items, p => Assert.Equal("medium", p.Documents[0].LengthBucket));
    }

    [Fact]
    public async Task The_default_mix_spreads_evenly_over_the_buckets_the_corpus_fills_below_the_target_context()
    {
        var options = new GenerationOptions { MaxContextTokens = 64_000 };
        var catalog = Catalog();
        var pairer = Pairer(options);

        var mix = pairer.EffectiveMix(catalog);
        var result = await pairer.PairAsync(Instructions("legal_contract", 900), catalog, CancellationToken.None);

        // xlong documents (90k+) exceed the 64k target, so the mix is short/medium/long, a third each.
        Assert.Equal(["long", "medium", "short"], mix.Keys.Order(StringComparer.Ordinal));
        Assert.All(mix.Values, w => Assert.Equal(1 / 3.0, w, 6));
        foreach (var bucket in mix.Keys)
        {
            Assert.Equal(300, result.Items.Count(p => p.Documents[0].LengthBucket == bucket));
        }

        // No single-document pair ever uses a document at or over the target context.
        var patents = await pairer.PairAsync(Instructions("patent", 50), catalog, CancellationToken.None);
        Assert.All(patents.Items, p => Assert.Equal("p-s1", p.Documents[0].Id));
    }

    [Fact]
    public async Task Earlier_rounds_kept_buckets_steer_the_next_rounds_pairing()
    {
        var options = new GenerationOptions { LengthBucketMix = new() { ["short"] = 0.5, ["long"] = 0.5 } };
        var kept = new Dictionary<string, int> { ["short"] = 100 };

        var result = await Pairer(options).PairAsync(Instructions("legal_contract", 100), Catalog(), CancellationToken.None, kept);

        // 100 short already kept: all 100 new ones go long to reach 50/50.
        Assert.All(result.Items, p => Assert.Equal("long", p.Documents[0].LengthBucket));
    }

    [Fact]
    public async Task Part_only_documents_serve_multi_document_tasks_but_never_single_ones()
    {
        var catalog = new List<IndexedDocument>
        {
            Doc("e-1", "essay", 2_000, LengthBuckets.PartOnlyLabel), Doc("e-2", "essay", 2_500, LengthBuckets.PartOnlyLabel),
            Doc("e-3", "essay", 9_000, "medium"),
            Doc("n-1", "notes", 1_500, LengthBuckets.PartOnlyLabel), Doc("n-2", "notes", 1_800, LengthBuckets.PartOnlyLabel),
        };
        var pairer = Pairer(new GenerationOptions());
        var batch = Instructions("essay", 40).Concat(Instructions("essay", 40, TaskKind.Aggregation).Select(i => i with { Index = i.Index + 100 }))
            .Concat(Instructions("notes", 5)).Concat(Instructions("notes", 5, TaskKind.Comparison).Select(i => i with { Index = i.Index + 100 })).ToList();

        var result = await pairer.PairAsync(batch, catalog, CancellationToken.None);

        Assert.Equal(["essay", "notes"], pairer.MultiDocumentTypes(catalog).Order(StringComparer.Ordinal));
        Assert.All(result.Items.Where(p => p.TaskKind == TaskKind.SingleDocument), p => Assert.Equal("e-3", p.Documents[0].Id));
        Assert.Contains(result.Items, p => p.TaskKind != TaskKind.SingleDocument && p.Documents.Any(d => d.IsPartOnly));
        Assert.Equal(5, result.Items.Count(p => p.Instruction.DocumentType == "notes" && p.TaskKind == TaskKind.Comparison));

        // Notes have no document usable alone: their single-document instructions are quarantined with that reason.
        Assert.Equal(5, result.Quarantined.Count);
        Assert.All(result.Quarantined, q => Assert.Contains("long enough for a single-document task", q.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Multi_document_types_need_enough_documents_within_the_budget_and_small_ones_are_found_after_a_large_draw()
    {
        // Patents: 4k + 100k fit a 105k budget but 100k + 110k do not; reports: 16k + 90k do not.
        var options = new GenerationOptions { MaxMultiDocumentContextTokens = 105_000, MinDocumentsPerTask = 2, MaxDocumentsPerTask = 2 };
        var pairer = Pairer(options);

        Assert.Equal(["legal_contract", "patent"], pairer.MultiDocumentTypes(Catalog()).Order(StringComparer.Ordinal));
        Assert.Equal(["legal_contract"], Pairer(new GenerationOptions { MaxMultiDocumentContextTokens = 20_000 }).MultiDocumentTypes(Catalog()));

        var result = await pairer.PairAsync(Instructions("patent", 200, TaskKind.Comparison), Catalog(), CancellationToken.None);

        // Whichever large patent is drawn first, the small one is kept in reserve, so no task is lost.
        Assert.Empty(result.Quarantined);
        Assert.All(result.Items, p => Assert.Contains(p.Documents, d => d.Id == "p-s1"));
        Assert.All(result.Items, p => Assert.True(p.DocumentTokens <= 105_000));
    }

    [Fact]
    public async Task Instructions_without_a_document_of_their_type_are_quarantined_with_the_type()
    {
        var batch = new[] { GenerationTestKit.Instruction("poetry", 0), GenerationTestKit.Instruction("patent", 1) };

        var result = await Pairer(new GenerationOptions()).PairAsync(batch, Catalog(), CancellationToken.None);

        Assert.Equal("patent", Assert.Single(result.Items).Instruction.DocumentType);
        var entry = Assert.Single(result.Quarantined);
        Assert.Equal(StageNames.Pairing, entry.Stage);
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
        Assert.Contains("no 2 of its 3 documents fit together", entry.Reason, StringComparison.Ordinal);
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
