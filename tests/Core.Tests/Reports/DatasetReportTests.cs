using System.IO.Compression;
using System.Text;
using System.Text.Json;
using WildLong.Core.Common;
using WildLong.Core.Generation;
using WildLong.Core.Reports;
using WildLong.Core.Runner;

namespace WildLong.Core.Tests.Reports;

/// <summary>
/// Every report figure (docs/quality-metrics.md) on <see cref="HandMadeDataset"/>, whose values are worked out by hand
/// in the comments, through the real writer and the report rebuilt from the folder alone.
/// </summary>
public sealed class DatasetReportTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "wildlong-report-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Every_metric_of_a_hand_made_dataset_has_its_known_value_and_count()
    {
        await DatasetWriter.WriteAsync(folder, HandMadeDataset.Result(), HandMadeDataset.Extras(), new DatasetReportBuilder(HandMadeDataset.Embeddings()), CancellationToken.None);
        var report = JsonSerializer.Deserialize<DatasetReport>(await File.ReadAllTextAsync(Path.Combine(folder, DatasetReport.JsonFileName)), WildLongJson.Options)!;

        Assert.Equal(3, report.Pairs);
        Assert.True(report.Simulated);

        // Funnel: 10 queries → 3 records; drops: 3 by the pre-filter, 1 by the model, 1 unreadable line.
        var queries = report.Funnel[0];
        Assert.Equal((10, 3), (queries.In, queries.Out));
        Assert.Equal(3, queries.Drops.Single(d => d.Reason.Contains("pre-filter", StringComparison.Ordinal)).Count);
        Assert.Equal(1, queries.Drops.Single(d => d.Reason.Contains("(model)", StringComparison.Ordinal)).Count);
        Assert.Equal(1, queries.Drops.Single(d => d.Stage == "read-queries").Count);
        var generation = report.Funnel.Single(s => s.Step == "pairs planned → generated");
        Assert.Equal((6, 4), (generation.In, generation.Out));
        Assert.Equal(2, generation.Drops.Single(d => d.Stage == StageNames.QualityJudge).Count);
        // generated 4 → kept 3: one pair near-duplicate (recorded as a pair); the instruction near-duplicate is dropped before pairing.
        var kept = report.Funnel.Single(s => s.Step == "generated → kept");
        Assert.Equal(1, kept.Drops.Single(d => d.Stage == StageNames.NearDuplicateFilter).Count);
        Assert.Equal(1, report.Funnel.Single(s => s.Step == "instructions → pairs planned").Drops.Single(d => d.Stage == StageNames.NearDuplicateFilter).Count);
        Assert.DoesNotContain(kept.Drops, d => d.Stage == "selection");

        // Coverage: multi-document 1 of 3; length buckets by (total) tokens: 5,000 → 4k-8k, 11,000 → 8k-16k, 20,000 → 16k-32k.
        var mix = report.Mix;
        Assert.Equal(1.0 / 3, mix.MultiDocumentShare.Value!.Value, 9);
        Assert.Equal(3, mix.MultiDocumentShare.Count);
        Assert.Equal(0.25, mix.MultiDocumentTarget);
        foreach (var bucket in new[] { "4k-8k", "8k-16k", "16k-32k" })
        {
            Assert.Equal(1.0 / 3, mix.LengthBucketMix[bucket].Value!.Value, 9);
        }

        Assert.Equal(0.5, mix.LengthBucketTargets!["8k-16k"], 9);
        Assert.Equal(3, mix.Rows.Single(r => r.DocumentType == "report" && r.TaskKind == "single_document").Planned);
        Assert.Equal(1, mix.Rows.Single(r => r.DocumentType == "report" && r.TaskKind == "single_document").Kept);
        Assert.Equal((3L, 1L), (mix.Rows.Single(r => r.DocumentType == "email" && r.LengthBucket == "16k-32k").Planned!.Value, mix.Rows.Single(r => r.DocumentType == "email").Kept));
        // d1 is used by two pairs, d2 and d3 by one each.
        Assert.Equal(new Dictionary<int, int> { [1] = 2, [2] = 1 }, mix.DocumentReuse);
        Assert.Equal(3, mix.DistinctDocuments);
        Assert.Equal(2, mix.InstructionPlacement["after_documents"]);
        Assert.Equal(1, mix.InstructionPlacement["before_documents"]);

        // Fields over both types' graphs: task {summarize 2, reply 1}, domain {finance 1, law 1}; null share from 3 records.
        var task = report.Fields.Single(f => f.Field == "task");
        var domain = report.Fields.Single(f => f.Field == "domain");
        Assert.Equal(2, task.DistinctValues);
        Assert.Equal(0.5, task.SingletonShare.Value!.Value, 9);
        Assert.Equal(0, task.NullShare.Value!.Value, 9);
        Assert.Equal(1.0, domain.SingletonShare.Value!.Value, 9);
        Assert.Equal(1.0 / 3, domain.NullShare.Value!.Value, 9);
        Assert.Equal(3, domain.NullShare.Count);
        Assert.Equal(new ValueCount("summarize", 2), task.TopValues[0]);

        // Distinct-n over "summarize the report" / "compare the two reports" / "summarize the email":
        // 7 of 10 unigrams, 6 of 7 bigrams, 4 of 4 trigrams are unique.
        var d = report.Diversity;
        Assert.Equal((0.7, 10L), (d.Distinct1.Value!.Value, d.Distinct1.Count));
        Assert.Equal(6.0 / 7, d.Distinct2.Value!.Value, 9);
        Assert.Equal(7, d.Distinct2.Count);
        Assert.Equal((1.0, 4L), (d.Distinct3.Value!.Value, d.Distinct3.Count));
        var joined = Encoding.UTF8.GetBytes("summarize the report\ncompare the two reports\nsummarize the email");
        Assert.Equal((double)joined.Length / GzipLength(joined), d.CompressionRatio.Value!.Value, 9);

        // Embeddings: cosines a·b 0.6, a·c 0, b·c −0.8 → distances 0.4, 1, 1.8, mean 1.0667 over 3.
        Assert.Equal(3.2 / 3, d.EmbeddingDiversity.Value!.Value, 5);
        Assert.Equal(3, d.EmbeddingDiversity.Count);
        Assert.Equal(3, report.EmbeddingSampleSize);
        // Nearest real query: a → (0.6,0.8) at 0.04, b → (0,1) at 0, c → (1,0) at 0.4: median 0.04.
        // Real queries leave-one-out: 0.4, 0.2, 0.2: median 0.2; ratio 0.2.
        Assert.Equal(0.04, d.RealismMedian.Value!.Value, 5);
        Assert.Equal(0.2, d.RealQueryMedian.Value!.Value, 5);
        Assert.Equal(0.2, d.RealismRatio.Value!.Value, 5);
        Assert.Equal(3, d.RealismRatio.Count);

        // Grounding: 3 passages of ≥ 20 characters (one "short" left out); Quote1 found in d1 (across a double space and a
        // newline) at offset 0, Quote2 in d2 at offset 61 of 118, Missing not found: 2 of 3.
        var g = report.Grounding;
        Assert.Equal(2.0 / 3, g.EvidenceFound.Value!.Value, 9);
        Assert.Equal(3, g.EvidenceFound.Count);
        Assert.Equal(1, g.ShortPassages);
        Assert.Equal(2, g.PairsWithCitations);
        var d2 = EvidenceGrounding.Normalize(HandMadeDataset.D2.Text);
        var expectedBin = (int)(10.0 * d2.IndexOf(HandMadeDataset.Quote2, StringComparison.Ordinal) / d2.Length);
        Assert.Equal(5, expectedBin);
        Assert.Equal([1, 0, 0, 0, 0, 1, 0, 0, 0, 0], g.EvidenceDepth);

        // Judge: kept 5, 4, 4; rejected with scores 2 (the entry's field) and 3 (an older entry's detail text).
        var j = report.Judge;
        Assert.Equal(new Dictionary<int, long> { [4] = 2, [5] = 1 }, j.KeptScores);
        Assert.Equal(new Dictionary<int, long> { [2] = 1, [3] = 1 }, j.RejectedScores);
        Assert.Equal(13.0 / 3, j.MeanKeptScore.Value!.Value, 9);
        Assert.Equal(2.5, j.MeanRejectedScore.Value!.Value, 9);
        Assert.Equal(1, j.NearDuplicatesRemoved);

        // Cost: billed input = (uncached 600 + 500 + cached 400 × 0.5) ÷ 3 = 433.3; document tokens per pair
        // (5,000 + 11,000 + 20,000) ÷ 3 = 12,000; cost 0.6 ÷ 3 = 0.2.
        var s = report.Spend;
        Assert.Equal(1300.0 / 3, s.BilledInputPerKeptPair.Value!.Value, 6);
        Assert.Equal(12_000, s.MeanDocumentTokensPerKeptPair.Value!.Value, 6);
        Assert.Equal(1300.0 / 3 / 12_000, s.BilledInputMultiple.Value!.Value, 9);
        Assert.Equal(0.2, s.CostPerKeptPair.Value!.Value, 9);
        Assert.Equal(1, s.Stages.Single(x => x.Stage == "quality-judge").Retries);
    }

    [Fact]
    public async Task A_batch_run_shows_the_discount_per_stage_and_in_total()
    {
        var extras = HandMadeDataset.Extras() with
        {
            Cost = new
            {
                Currency = "USD",
                Batch = true,
                Stages = new[] { new { Stage = "quality-judge", Total = 0.1, BatchDiscount = 0.1 }, new { Stage = "response-generation", Total = 0.2, BatchDiscount = 0.2 } },
                Total = new { Total = 0.6, BatchDiscount = 0.3 },
            },
        };
        await DatasetWriter.WriteAsync(folder, HandMadeDataset.Result(), extras, new DatasetReportBuilder(HandMadeDataset.Embeddings()), CancellationToken.None);
        var report = JsonSerializer.Deserialize<DatasetReport>(await File.ReadAllTextAsync(Path.Combine(folder, DatasetReport.JsonFileName)), WildLongJson.Options)!;
        var html = await File.ReadAllTextAsync(Path.Combine(folder, DatasetReport.HtmlFileName));

        Assert.True(report.Spend.Batch);
        Assert.Equal(0.1, report.Spend.Stages.Single(x => x.Stage == "quality-judge").BatchDiscount);
        Assert.Equal(0.3, report.Spend.BatchDiscount!.Value, 9);
        Assert.Contains("<th class=\"n\">batch discount</th>", html, StringComparison.Ordinal);
        Assert.Contains("Batch mode: every stage was billed at the batch price", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_online_run_has_no_batch_discount_column()
    {
        await DatasetWriter.WriteAsync(folder, HandMadeDataset.Result(), HandMadeDataset.Extras(), new DatasetReportBuilder(HandMadeDataset.Embeddings()), CancellationToken.None);
        var html = await File.ReadAllTextAsync(Path.Combine(folder, DatasetReport.HtmlFileName));

        Assert.DoesNotContain("batch discount", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Building_the_report_twice_from_the_same_dataset_gives_the_same_bytes()
    {
        await DatasetWriter.WriteAsync(folder, HandMadeDataset.Result(), HandMadeDataset.Extras(), new DatasetReportBuilder(HandMadeDataset.Embeddings()), CancellationToken.None);
        var html = await File.ReadAllBytesAsync(Path.Combine(folder, DatasetReport.HtmlFileName));
        var json = await File.ReadAllBytesAsync(Path.Combine(folder, DatasetReport.JsonFileName));

        await DatasetReportWriter.WriteAsync(folder, new DatasetReportBuilder(HandMadeDataset.Embeddings()), CancellationToken.None);

        Assert.Equal(json, await File.ReadAllBytesAsync(Path.Combine(folder, DatasetReport.JsonFileName)));
        var again = await File.ReadAllBytesAsync(Path.Combine(folder, DatasetReport.HtmlFileName));
        Assert.True(html.AsSpan().SequenceEqual(again), "report.html differs between two builds from the same dataset");
        var text = Encoding.UTF8.GetString(html);
        Assert.Contains("id=\"plot-funnel\"", text, StringComparison.Ordinal);
        Assert.DoesNotMatch("id=\"[0-9a-f]{8}-[0-9a-f]{4}-", text);
    }

    [Fact]
    public async Task Pairs_with_a_bom_crlf_blank_lines_and_no_final_newline_give_the_same_report_and_a_bad_line_is_named()
    {
        await DatasetWriter.WriteAsync(folder, HandMadeDataset.Result(), HandMadeDataset.Extras(), new DatasetReportBuilder(null), CancellationToken.None);
        var expected = JsonSerializer.Serialize(await new DatasetReportBuilder(null).BuildAsync(folder, CancellationToken.None), WildLongJson.Options);
        var pairsPath = Path.Combine(folder, "pairs.jsonl");
        var lines = await File.ReadAllLinesAsync(pairsPath);
        await File.WriteAllTextAsync(pairsPath, "\uFEFF" + string.Join("\r\n\r\n", lines), new UTF8Encoding(false));

        Assert.Equal(expected, JsonSerializer.Serialize(await new DatasetReportBuilder(null).BuildAsync(folder, CancellationToken.None), WildLongJson.Options));

        await File.WriteAllTextAsync(pairsPath, lines[0] + "\n{\"messages\": [}\n" + lines[1] + "\n");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new DatasetReportBuilder(null).BuildAsync(folder, CancellationToken.None));
        Assert.Contains("pairs.jsonl:2: invalid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quarantine_entries_of_older_datasets_are_still_read_for_scores_and_near_duplicate_kinds()
    {
        var judged = QuarantineEntry.ForItem(StageNames.QualityJudge, "p@d", "rejected by the quality judge: x", "answerable=False, score=3 (minimum 4)");
        Assert.Equal(3, DatasetReportBuilder.RejectedScore(judged));
        Assert.Equal(5, DatasetReportBuilder.RejectedScore(judged with { JudgeScore = 5 }));
        Assert.Null(DatasetReportBuilder.RejectedScore(judged with { Detail = "no number here" }));

        var duplicate = QuarantineEntry.ForItem(StageNames.NearDuplicateFilter, "p@d", "near-duplicate of 'q@d'");
        Assert.True(DatasetReportBuilder.IsPairDuplicate(duplicate));
        Assert.False(DatasetReportBuilder.IsPairDuplicate(duplicate with { ItemId = "i1", Source = "i1" }));
        Assert.False(DatasetReportBuilder.IsPairDuplicate(duplicate with { ItemKind = QuarantineEntry.InstructionItem }));
    }

    [Fact]
    public async Task Figures_without_their_inputs_say_why_instead_of_showing_zero()
    {
        var result = HandMadeDataset.Result() with { ReportInputs = null };
        var records = result.Records.Select(r => r with { Meta = r.Meta with { Citations = null, DocumentIds = r.Meta.DocumentIds } }).ToList();
        await DatasetWriter.WriteAsync(folder, result with { Records = records }, HandMadeDataset.Extras() with { CachedPriceRatio = null }, new DatasetReportBuilder(null), CancellationToken.None);

        var report = await new DatasetReportBuilder(null).BuildAsync(folder, CancellationToken.None);

        Assert.Null(report.Grounding.EvidenceFound.Value);
        Assert.Equal("no kept pair cites a passage", report.Grounding.EvidenceFound.Reason);
        Assert.Null(report.Diversity.EmbeddingDiversity.Value);
        Assert.NotNull(report.Diversity.EmbeddingDiversity.Reason);
        Assert.Null(report.Spend.BilledInputPerKeptPair.Value);
        Assert.Contains("cached-price ratio", report.Spend.BilledInputPerKeptPair.Reason, StringComparison.Ordinal);
        Assert.Null(report.Fields[0].NullShare.Value);
        Assert.Contains(DatasetReportInputs.FileName, report.Fields[0].NullShare.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, DatasetReportInputs.FileName)));
        var html = await File.ReadAllTextAsync(Path.Combine(folder, DatasetReport.HtmlFileName));
        Assert.Contains("not computed: no kept pair cites a passage", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Documents_read_back_from_a_user_turn_are_the_rendered_documents()
    {
        var context = DocumentContext.For([HandMadeDataset.D1, HandMadeDataset.D2]);
        foreach (var position in new[] { InstructionPosition.AfterDocuments, InstructionPosition.BeforeDocuments })
        {
            var meta = new TrainingRecordMeta("x", "t", TaskKind.Comparison, "k", 0, [], context.DocumentIds, [], "ask", "ask", 0, 0, "m", 0, [], new JudgeVerdict(true, true, 5, ""), InstructionPosition: position);
            var record = new TrainingRecord([new(TrainingMessage.UserRole, context.ComposeUserTurn("ask", position))], meta);

            Assert.Equal([HandMadeDataset.D1.Text.TrimEnd(), HandMadeDataset.D2.Text.TrimEnd()], RenderedDocuments.Split(record));
        }
    }

    [Fact]
    public async Task A_folder_without_a_manifest_is_named_in_one_line()
    {
        Directory.CreateDirectory(folder);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new DatasetReportBuilder(null).BuildAsync(folder, CancellationToken.None));
        Assert.Contains("manifest.json: not found", error.Message, StringComparison.Ordinal);
    }

    private static long GzipLength(byte[] raw)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return compressed.Length;
    }
}
