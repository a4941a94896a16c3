using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Embeddings;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.MetaInfo;
using WildLong.Core.Runner;

namespace WildLong.Core.Reports;

/// <summary>
/// Builds the <see cref="DatasetReport"/> of a finished dataset folder from its files alone — <c>pairs.jsonl</c>
/// (streamed), <c>quarantine.jsonl</c>, <c>manifest.json</c>, <c>graphs.json</c> and <c>report-inputs.json</c> — with
/// no model and no run state. Graph figures are the ones the run computed (<see cref="GraphStatistics"/> in the
/// manifest); embedding figures use <paramref name="embeddings"/> (the local MiniLM model by default) on a seeded
/// sample of at most <paramref name="sampleSize"/> instructions and as many real queries (the stored sample's seeded
/// prefix); null leaves them out with the reason.
/// </summary>
public sealed partial class DatasetReportBuilder(IEmbeddingGenerator<string, Embedding<float>>? embeddings, int sampleSize = DatasetReportInputs.MaxRealQueries)
{
    private const int TopValues = 10;
    private const int DrawnGraphs = 2;
    private const int DrawnNodes = 14;
    private const int DrawnEdges = 40;

    /// <summary>A builder with the local all-MiniLM-L6-v2 model.</summary>
    public static DatasetReportBuilder Default { get; } = new(MiniLmEmbeddingGenerator.Shared);

    /// <summary>Builds the report; throws <see cref="InvalidDataException"/> naming the file (and line) when the folder is not a readable dataset.</summary>
    public async Task<DatasetReport> BuildAsync(string folder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var manifestPath = Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new InvalidDataException($"{manifestPath}: not found (is '{folder}' a WildLong dataset folder?)");
        }

        var manifest = await ReadJsonAsync<DatasetManifestView>(manifestPath, cancellationToken)
            ?? throw new InvalidDataException($"{manifestPath}: empty");
        var inputsPath = Path.Combine(folder, DatasetReportInputs.FileName);
        var inputs = File.Exists(inputsPath) ? await ReadJsonAsync<DatasetReportInputs>(inputsPath, cancellationToken) : null;
        var quarantine = await ReadQuarantineAsync(Path.Combine(folder, "quarantine.jsonl"), cancellationToken);
        var graphsPath = Path.Combine(folder, "graphs.json");
        var graphs = File.Exists(graphsPath) ? GraphSet.FromJson(await File.ReadAllTextAsync(graphsPath, cancellationToken)) : new GraphSet();

        using var pairs = await ReadPairsAsync(Path.Combine(folder, DatasetWriter.PairsFileName), inputs, manifest.Seed, cancellationToken);
        var counts = manifest.Counts;
        var (diversity, sampled) = await DiversityAsync(pairs, inputs, cancellationToken);
        return new DatasetReport(
            DatasetReport.CurrentVersion,
            pairs.Records,
            manifest.Simulated,
            manifest.NoPairsReason,
            Funnel(counts, quarantine, inputs),
            Mix(pairs, inputs),
            manifest.Graphs?.Types ?? [],
            manifest.Graphs?.Borrowings ?? [],
            Drawings(graphs),
            Fields(graphs, inputs, counts),
            diversity,
            pairs.Grounding.Result(),
            Judge(pairs, quarantine, counts),
            Spend(manifest, pairs),
            new RunReport(
                manifest.CreatedBy, manifest.Model, manifest.Seed, manifest.Simulated,
                manifest.Configuration ?? [], manifest.Scope, manifest.PromptVersions ?? [],
                manifest.Fingerprint?.Hash, manifest.Fingerprint?.Components ?? []),
            sampled);
    }

    private static async Task<T?> ReadJsonAsync<T>(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, WildLongJson.Options, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: line {(ex.LineNumber ?? 0) + 1}: not valid JSON ({ex.Message})", ex);
        }
    }

    private static async Task<List<QuarantineEntry>> ReadQuarantineAsync(string path, CancellationToken cancellationToken)
    {
        var entries = new List<QuarantineEntry>();
        if (!File.Exists(path))
        {
            return entries;
        }

        var line = 0;
        foreach (var text in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                entries.Add(JsonSerializer.Deserialize<QuarantineEntry>(text, WildLongJson.Options)
                    ?? throw new InvalidDataException($"{path}:{line}: empty entry"));
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}:{line}: not a quarantine entry ({ex.Message})", ex);
            }
        }

        return entries;
    }

    /// <summary>
    /// Streams the pairs once, keeping only what the figures need. Each line is parsed from its UTF-8 bytes (a pair's
    /// line holds its documents, tens of kilobytes: no string of the line is made) and dropped once tallied, so
    /// memory does not grow with the dataset and no large object outlives its pair.
    /// </summary>
    private async Task<PairTally> ReadPairsAsync(string path, DatasetReportInputs? inputs, ulong seed, CancellationToken cancellationToken)
    {
        var tally = new PairTally(inputs, seed, embeddings is null ? 0 : sampleSize);
        if (!File.Exists(path))
        {
            return tally;
        }

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        int start = 0, end = 0;
        long line = 0;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                Add(tally, buffer.AsSpan(start, newline), path, ++line);
                start += newline + 1;
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await file.ReadAsync(buffer.AsMemory(end), cancellationToken);
            if (read == 0)
            {
                Add(tally, buffer.AsSpan(0, end), path, ++line);
                return tally;
            }

            end += read;
        }
    }

    private static void Add(PairTally tally, ReadOnlySpan<byte> line, string path, long number)
    {
        line = line.TrimEnd((byte)'\r');
        if (number == 1 && line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        if (line.Trim(" \t"u8).IsEmpty)
        {
            return;
        }

        var result = TrainingRecordJsonl.Parse(line, path, number);
        if (!result.IsSuccess)
        {
            throw new InvalidDataException(result.Error!.ToString());
        }

        tally.Add(result.Value!);
    }

    private static List<FunnelStep> Funnel(MethodRunCounts? counts, List<QuarantineEntry> quarantine, DatasetReportInputs? inputs)
    {
        if (counts is null)
        {
            return [];
        }

        var drops = quarantine
            .Where(q => !(q.Stage == StageNames.IndexDocuments && DocumentIndexer.IsPartOnlyNote(q)))
            .GroupBy(q => (q.Stage, Reason: DatasetWriter.Reason(q.Reason), Pair: q.Stage == StageNames.NearDuplicateFilter && IsPairDuplicate(q)))
            .Select(g => (g.Key.Stage, g.Key.Reason, g.Key.Pair, Count: (long)g.Count()))
            .ToList();
        List<FunnelDrop> For(Func<(string Stage, string Reason, bool Pair, long Count), bool> match)
            => [.. drops.Where(match).OrderByDescending(d => d.Count).ThenBy(d => d.Stage, StringComparer.Ordinal).Select(d => new FunnelDrop(d.Stage, d.Reason, d.Count))];

        var queryDrops = For(d => d.Stage is StageNames.ReadQueries or StageNames.MetaInfoExtraction or StageNames.MetaInfoNormalization);
        if (inputs?.QueriesFilteredBy is { Count: > 0 } filteredBy)
        {
            queryDrops.InsertRange(0, filteredBy.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new FunnelDrop("long-context filter", kv.Key == FilteredQuery.ByPreFilter ? "not a long-context request (pre-filter)" : kv.Key == FilteredQuery.ByModel ? "not a long-context request (model)" : kv.Key, kv.Value)));
        }
        else if (counts.QueriesFiltered > 0)
        {
            queryDrops.Insert(0, new FunnelDrop("long-context filter", "not a long-context request (pre-filter or model; no breakdown recorded)", counts.QueriesFiltered));
        }

        var documentDrops = For(d => d.Stage is StageNames.ReadDocuments or StageNames.ClassifyDocuments or StageNames.IndexDocuments);
        var pairDuplicates = drops.Where(d => d.Stage == StageNames.NearDuplicateFilter && d.Pair).Sum(d => d.Count);
        var keptDrops = For(d => d.Stage == StageNames.NearDuplicateFilter && d.Pair);
        var notSelected = counts.PairsGenerated - pairDuplicates - counts.PairsKept;
        if (notSelected > 0)
        {
            keptDrops.Add(new FunnelDrop("selection", "over the pairs asked for or the target mix", notSelected));
        }

        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            StageNames.ReadQueries, StageNames.MetaInfoExtraction, StageNames.MetaInfoNormalization, StageNames.ReadDocuments, StageNames.ClassifyDocuments,
            StageNames.IndexDocuments, StageNames.InstructionWriting, StageNames.NearDuplicateFilter, StageNames.Pairing, StageNames.PairGeneration,
            StageNames.InstructionAdaptation, StageNames.ResponseGeneration, StageNames.QualityJudge,
        };
        var steps = new List<FunnelStep>
        {
            new("queries → meta-information", counts.QueriesRead, counts.MetaInfoRecords, queryDrops),
            new("documents → index", counts.DocumentsIndexed + documentDrops.Sum(d => d.Count), counts.DocumentsIndexed, documentDrops),
            new("paths → instructions", counts.PathsSampled, counts.Instructions, For(d => d.Stage == StageNames.InstructionWriting)),
            new("instructions → pairs planned", counts.Instructions, counts.PairsPlanned, For(d => d.Stage == StageNames.Pairing || (d.Stage == StageNames.NearDuplicateFilter && !d.Pair))),
            new("pairs planned → generated", counts.PairsPlanned, counts.PairsGenerated,
                For(d => d.Stage is StageNames.PairGeneration or StageNames.InstructionAdaptation or StageNames.ResponseGeneration or StageNames.QualityJudge)),
            new("generated → kept", counts.PairsGenerated, counts.PairsKept, keptDrops),
        };
        var other = For(d => !known.Contains(d.Stage));
        if (other.Count > 0)
        {
            steps.Add(new FunnelStep("other", other.Sum(d => d.Count), 0, other));
        }

        return steps;
    }

    /// <summary>
    /// Whether a near-duplicate entry is about a pair (not an instruction): the recorded <see cref="QuarantineEntry.ItemKind"/>;
    /// entries of datasets written before it was recorded are told apart by their id (pair ids hold '@', instruction ids do not).
    /// </summary>
    internal static bool IsPairDuplicate(QuarantineEntry entry)
        => entry.ItemKind is { } kind
            ? kind == QuarantineEntry.PairItem
            : (entry.ItemId ?? entry.Source).Contains('@', StringComparison.Ordinal);

    /// <summary>
    /// The judge's score of a rejected pair: the recorded <see cref="QuarantineEntry.JudgeScore"/>, or for datasets
    /// written before it was recorded the <c>score=N</c> of the entry's detail text; null when neither holds one.
    /// </summary>
    internal static int? RejectedScore(QuarantineEntry entry)
    {
        if (entry.JudgeScore is { } score)
        {
            return score;
        }

        var match = entry.Detail is null ? null : ScorePattern().Match(entry.Detail);
        return match is { Success: true } && int.TryParse(match.Groups[1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    private static MixReport Mix(PairTally pairs, DatasetReportInputs? inputs)
    {
        var planned = inputs?.Planned?
            .GroupBy(p => (p.DocumentType, Kind: Kind(p.TaskKind), p.LengthBucket))
            .ToDictionary(g => g.Key, g => (long)g.Sum(p => p.Count));
        var keys = pairs.Kept.Keys.Concat(planned?.Keys ?? Enumerable.Empty<(string, string, string)>()).Distinct()
            .OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2, StringComparer.Ordinal).ThenBy(k => k.Item3, StringComparer.Ordinal);
        var rows = keys.Select(k => new MixRow(k.Item1, k.Item2, k.Item3, planned is null ? null : planned.GetValueOrDefault(k), pairs.Kept.GetValueOrDefault(k))).ToList();

        var buckets = pairs.Kept.GroupBy(kv => kv.Key.Bucket, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal);
        var order = inputs?.LengthBuckets?.Select(b => b.Label).ToList() ?? [];
        var mix = buckets.Keys.OrderBy(b => order.IndexOf(b) is var i && i < 0 ? int.MaxValue : i).ThenBy(b => b, StringComparer.Ordinal)
            .ToDictionary(b => b, b => ReportMetric.Of((double)buckets[b] / pairs.Records, pairs.Records), StringComparer.Ordinal);
        var targetTotal = inputs?.LengthBucketTargets?.Values.Sum() ?? 0;
        var targets = targetTotal > 0 ? inputs!.LengthBucketTargets!.ToDictionary(kv => kv.Key, kv => kv.Value / targetTotal, StringComparer.Ordinal) : null;
        return new MixReport(
            rows,
            ReportMetric.Share(pairs.MultiDocument, pairs.Records, "no kept pairs"),
            inputs?.MultiDocumentTarget,
            mix,
            targets,
            pairs.DocumentUses.Values.GroupBy(u => u).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            pairs.DocumentUses.Count,
            pairs.Placement.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }

    private static string Kind(TaskKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    private static List<GraphDrawing> Drawings(GraphSet graphs)
        => [.. graphs.Graphs
            .Where(g => g.DocumentType != GraphSet.AllTypes && g.NodeCount > 0)
            .OrderByDescending(g => g.RecordCount).ThenBy(g => g.DocumentType, StringComparer.Ordinal)
            .Take(DrawnGraphs)
            .Select(g =>
            {
                var nodes = g.Nodes.OrderByDescending(n => n.Count).ThenBy(n => n.Field, StringComparer.Ordinal).ThenBy(n => n.Value, StringComparer.Ordinal).Take(DrawnNodes).ToList();
                var kept = nodes.Select(n => (n.Field, n.Value)).ToHashSet();
                var edges = g.Edges.Where(e => kept.Contains((e.FieldA, e.ValueA)) && kept.Contains((e.FieldB, e.ValueB)))
                    .OrderByDescending(e => e.Count).ThenBy(e => e.FieldA + e.ValueA + e.FieldB + e.ValueB, StringComparer.Ordinal).Take(DrawnEdges).ToList();
                return new GraphDrawing(g.DocumentType, g.RecordCount, nodes, edges);
            })];

    private static List<FieldReport> Fields(GraphSet graphs, DatasetReportInputs? inputs, MethodRunCounts? counts)
    {
        var byField = graphs.Graphs
            .Where(g => g.DocumentType != GraphSet.AllTypes)
            .SelectMany(g => g.Nodes)
            .GroupBy(n => n.Field, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        var records = inputs?.MetaInfoRecords ?? 0;
        var reports = new List<FieldReport>();
        foreach (var field in byField)
        {
            var values = field.GroupBy(n => n.Value, StringComparer.Ordinal).Select(g => new ValueCount(g.Key, g.Sum(n => n.Count))).ToList();
            var nullShare = inputs?.FieldRecords is { } holding && records > 0
                ? ReportMetric.Of(1 - ((double)holding.GetValueOrDefault(field.Key) / records), records)
                : ReportMetric.Missing(inputs is null ? $"{DatasetReportInputs.FileName} is missing (dataset written before the report existed)" : "no meta-information records");
            reports.Add(new FieldReport(
                field.Key,
                values.Count,
                nullShare,
                ReportMetric.Share(values.Count(v => v.Count == 1), values.Count, "no values"),
                [.. values.OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal).Take(TopValues)],
                counts?.TopMerges?.GetValueOrDefault(field.Key) ?? []));
        }

        return reports;
    }

    private async Task<(DiversityReport Report, int Sampled)> DiversityAsync(PairTally pairs, DatasetReportInputs? inputs, CancellationToken cancellationToken)
    {
        var distinct1 = pairs.Diversity.DistinctN(1);
        var distinct2 = pairs.Diversity.DistinctN(2);
        var distinct3 = pairs.Diversity.DistinctN(3);
        var compression = pairs.Diversity.CompressionRatio();
        if (embeddings is null)
        {
            var none = ReportMetric.Missing("no embedding model was given to the report builder");
            return (new DiversityReport(distinct1, distinct2, distinct3, compression, null, none, none, none, none, [], []), 0);
        }

        var sample = pairs.InstructionSample.Items().Select(i => i.Text).ToList();
        var real = (inputs?.RealQuerySample ?? []).Take(sampleSize).ToList();
        var model = embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
        var embedded = await EmbedAsync([.. sample, .. real], cancellationToken);
        var vectors = embedded[..sample.Count];
        var diversity = EmbeddingMetrics.MeanPairwiseCosineDistance(vectors) is { } d
            ? ReportMetric.Of(d, vectors.Length)
            : ReportMetric.Missing("fewer than 2 instructions", vectors.Length);

        if (real.Count < 2 || vectors.Length == 0)
        {
            var why = inputs?.RealQuerySample is null
                ? $"the dataset holds no real queries ({DatasetReportInputs.FileName} {(inputs is null ? "is missing" : "has none")})"
                : vectors.Length == 0 ? "no instructions" : "fewer than 2 real queries kept";
            var missing = ReportMetric.Missing(why);
            return (new DiversityReport(distinct1, distinct2, distinct3, compression, model, diversity, missing, missing, missing, [], []), vectors.Length);
        }

        var realVectors = embedded[sample.Count..];
        var toReal = EmbeddingMetrics.NearestDistances(vectors, realVectors, leaveOneOut: false);
        var amongReal = EmbeddingMetrics.NearestDistances(realVectors, realVectors, leaveOneOut: true);
        var median = EmbeddingMetrics.Median(toReal)!.Value;
        var realMedian = EmbeddingMetrics.Median(amongReal)!.Value;
        var ratio = realMedian > 0
            ? ReportMetric.Of(median / realMedian, realVectors.Length)
            : ReportMetric.Missing("the real queries' median nearest-neighbour distance is 0 (duplicates)", realVectors.Length);
        return (new DiversityReport(distinct1, distinct2, distinct3, compression, model, diversity,
            ReportMetric.Of(median, vectors.Length), ratio, ReportMetric.Of(realMedian, realVectors.Length),
            [.. toReal.Select(Round)], [.. amongReal.Select(Round)]), vectors.Length);
    }

    /// <summary>
    /// Embeds the sampled instructions and real queries in one call, ordered by length so each batch the model
    /// encodes holds texts of similar length (less padding), and returns the vectors in the texts' order.
    /// </summary>
    private async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new float[texts.Count][];
        if (texts.Count == 0)
        {
            return vectors;
        }

        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ThenBy(i => i).ToArray();
        var generated = await embeddings!.GenerateAsync(order.Select(i => texts[i]), cancellationToken: cancellationToken);
        for (var k = 0; k < order.Length; k++)
        {
            vectors[order[k]] = generated[k].Vector.ToArray();
        }

        return vectors;
    }

    private static double Round(double value) => Math.Round(value, 4);

    private static JudgeReport Judge(PairTally pairs, List<QuarantineEntry> quarantine, MethodRunCounts? counts)
    {
        var rejected = new SortedDictionary<int, long>();
        long withoutScore = 0;
        foreach (var entry in quarantine.Where(q => q.Stage == StageNames.QualityJudge && (q.JudgeScore is not null || q.Reason.StartsWith("rejected by the quality judge", StringComparison.Ordinal))))
        {
            if (RejectedScore(entry) is { } score)
            {
                rejected[score] = rejected.GetValueOrDefault(score) + 1;
            }
            else
            {
                withoutScore++;
            }
        }

        var kept = new SortedDictionary<int, long>(pairs.JudgeScores);
        static ReportMetric Mean(IDictionary<int, long> scores, string reason)
        {
            var n = scores.Values.Sum();
            return n == 0 ? ReportMetric.Missing(reason) : ReportMetric.Of((double)scores.Sum(kv => kv.Key * kv.Value) / n, n);
        }

        return new JudgeReport(kept, rejected, withoutScore, Mean(kept, "no kept pairs"), Mean(rejected, "the judge rejected no pair (or none with a recorded score)"),
            counts?.NearDuplicatesRemoved ?? 0);
    }

    private static SpendReport Spend(DatasetManifestView manifest, PairTally pairs)
    {
        var costs = new Dictionary<string, double>(StringComparer.Ordinal);
        var discounts = new Dictionary<string, double>(StringComparer.Ordinal);
        string? currency = null;
        double? total = null;
        var batch = false;
        if (manifest.Cost is { ValueKind: JsonValueKind.Object } cost)
        {
            currency = cost.TryGetProperty("currency", out var c) ? c.GetString() : null;
            batch = cost.TryGetProperty("batch", out var batchFlag) && batchFlag.ValueKind == JsonValueKind.True;
            if (cost.TryGetProperty("stages", out var stages) && stages.ValueKind == JsonValueKind.Array)
            {
                foreach (var stage in stages.EnumerateArray())
                {
                    if (stage.TryGetProperty("stage", out var name) && stage.TryGetProperty("total", out var value) && value.ValueKind == JsonValueKind.Number)
                    {
                        costs[name.GetString() ?? "?"] = value.GetDouble();
                    }

                    if (stage.TryGetProperty("stage", out var named) && stage.TryGetProperty("batch_discount", out var saved) && saved.ValueKind == JsonValueKind.Number)
                    {
                        discounts[named.GetString() ?? "?"] = saved.GetDouble();
                    }
                }
            }

            if (cost.TryGetProperty("total", out var t) && t.ValueKind == JsonValueKind.Object && t.TryGetProperty("total", out var tt) && tt.ValueKind == JsonValueKind.Number)
            {
                total = tt.GetDouble();
            }
        }

        var usage = manifest.Tokens ?? [];
        var rows = usage.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new StageSpend(kv.Key, kv.Value.Calls, kv.Value.CacheHits, kv.Value.Retries, kv.Value.InputTokens, kv.Value.CachedInputTokens, kv.Value.OutputTokens,
                costs.TryGetValue(kv.Key, out var v) ? v : null, batch && discounts.TryGetValue(kv.Key, out var d) ? d : null))
            .ToList();
        var kept = pairs.Records;
        var perPair = total is { } sum && kept > 0 ? ReportMetric.Of(sum / kept, kept)
            : ReportMetric.Missing(kept == 0 ? "no kept pairs" : "the manifest records no cost");
        var uncached = usage.Values.Sum(u => Math.Max(0, u.InputTokens - u.CachedInputTokens));
        var cached = usage.Values.Sum(u => u.CachedInputTokens);
        var billed = kept == 0 ? ReportMetric.Missing("no kept pairs")
            : manifest.CachedPriceRatio is not { } ratio ? ReportMetric.Missing("the manifest does not record the cached-price ratio")
            : ReportMetric.Of((uncached + (cached * ratio)) / kept, kept);
        var documents = pairs.DocumentTokenPairs == 0
            ? ReportMetric.Missing(kept == 0 ? "no kept pairs" : $"document token counts are not recorded ({DatasetReportInputs.FileName})")
            : ReportMetric.Of((double)pairs.DocumentTokenSum / pairs.DocumentTokenPairs, pairs.DocumentTokenPairs);
        var multiple = billed.Value is { } b && documents.Value is { } m && m > 0
            ? ReportMetric.Of(b / m, kept)
            : ReportMetric.Missing(billed.Reason ?? documents.Reason ?? "no document tokens");
        return new SpendReport(currency, rows, total, perPair, manifest.CachedPriceRatio, billed, documents, multiple, batch);
    }

    [GeneratedRegex(@"\bscore=(-?\d+)")]
    private static partial Regex ScorePattern();
}
