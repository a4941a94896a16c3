using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.MetaInfo;
using WildLong.Core.Model;
using WildLong.Core.Prompts;
using WildLong.Core.Reports;
using WildLong.Core.Runner;
using WildLong.Llm;
using WildLong.Llm.Costs;
using WildLong.Pipeline.Synthesis;
using WildLong.Storage.Blobs;
using WildLong.Storage.Runs;

namespace WildLong.Pipeline.Runs;

/// <summary>
/// Writes the run's dataset to the datasets container — <c>pairs.jsonl</c>, <c>pairs.parquet</c>,
/// <c>quarantine.jsonl</c>, <c>graphs.json</c>, <c>manifest.json</c>, <c>README.md</c>, <c>report-inputs.json</c>,
/// <c>report.json</c> and <c>report.html</c> — with the same writer the
/// in-process runner uses, and records the run's summary in the runs table. Files are replaced whole, so finalizing
/// twice gives the same dataset.
/// </summary>
public sealed class FinalizeDatasetActivity(
    PipelineBlobStore blobs,
    RunStore runs,
    CostCalculator costs,
    RunStageFactory stages,
    RunDataCache cache,
    IOptions<ModelOptions> model,
    IOptions<SamplingOptions> sampling,
    IOptions<GraphOptions> graphOptions,
    IOptions<DocumentOptions> documentOptions,
    PromptLibrary prompts,
    ILogger<FinalizeDatasetActivity> logger,
    IEmbeddingGenerator<string, Embedding<float>>? embeddings = null) : TaskActivity<FinalizeRequest, RunResult>
{
    public override async Task<RunResult> RunAsync(TaskActivityContext context, FinalizeRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentNullException.ThrowIfNull(graphOptions);
        ArgumentNullException.ThrowIfNull(documentOptions);
        var cancellationToken = CancellationToken.None;
        var layout = blobs.Layout;
        var keptBlob = input.FinalRound > 0 ? layout.KeptPairs(input.RunId, input.FinalRound) : null;
        var kept = keptBlob is null ? [] : await TrainingRecordHeader.ReadAsync(blobs, keptBlob, cancellationToken);
        var runStages = stages.For(input.Settings);
        var catalog = await cache.CatalogAsync(input.RunId, cancellationToken);
        var records = RoundPlanner
            .Select(kept, input.Settings.Pairs, runStages.Options.MultiDocumentShare, runStages.Pairer.EffectiveMix(catalog))
            .ToList();

        var scopeBlob = layout.RunScope(input.RunId);
        var scope = await blobs.ExistsAsync(scopeBlob, cancellationToken)
            ? JsonSerializer.Deserialize<RunScopeReport>(await blobs.DownloadTextAsync(scopeBlob, cancellationToken), WildLongJson.Options)
            : null;

        // The run's own inputs' rejections (every input's in the accumulating mode), and the run's.
        var prefixes = scope is { Mode: RunScopeReport.NamedInputs }
            ? scope.QueryShards.Select(s => $"extraction/{BlobLayout.IdOf(s.Name)}/")
                .Concat(scope.Corpora.Select(c => $"indexing/{BlobLayout.IdOf(c.Name)}/"))
            : ["extraction/", "indexing/"];
        var quarantine = new List<QuarantineEntry>();
        foreach (var prefix in prefixes.Append(BlobLayout.RunQuarantinePrefix(input.RunId)))
        {
            foreach (var name in await blobs.ListAsync(layout.Containers.Quarantine, prefix, cancellationToken))
            {
                quarantine.AddRange(await blobs.ReadLinesAsync<QuarantineEntry>(new BlobRef(layout.Containers.Quarantine, name), cancellationToken));
            }
        }

        var snapshot = layout.GraphSnapshot(input.RunId);
        var graphs = await blobs.ExistsAsync(snapshot, cancellationToken) ? GraphSet.FromJson(await blobs.DownloadTextAsync(snapshot, cancellationToken)) : new GraphSet();
        var merges = BuildGraphSnapshotActivity.MergesOf(snapshot);
        var topMerges = await blobs.ExistsAsync(merges, cancellationToken)
            ? JsonSerializer.Deserialize<Dictionary<string, IReadOnlyList<ValueMerge>>>(await blobs.DownloadTextAsync(merges, cancellationToken), WildLongJson.Options)
            : null;
        var t = input.Totals;
        var counts = t.ToCounts(records.Count, quarantine.GroupBy(q => q.Stage, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal), topMerges);
        var usage = t.All.Usage;
        var cost = costs.Calculate(usage, input.Batch);
        var configuration = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["run_id"] = input.RunId,
            ["pairs"] = input.Settings.Pairs.ToString(CultureInfo.InvariantCulture),
            ["seed"] = input.Settings.Seed.ToString(CultureInfo.InvariantCulture),
            ["multi_document_share"] = input.Settings.MultiDocumentShare?.ToString(CultureInfo.InvariantCulture),
            ["engine"] = "durable-task",
            ["llm_mode"] = input.Batch ? LlmCallOptions.BatchMode : LlmCallOptions.OnlineMode,
        };
        var reason = records.Count > 0 ? null : input.NoPairsReason
            ?? NoPairsReason.AfterGeneration(t.PathsSampled, t.Instructions.Succeeded, t.Pairing.Succeeded, t.Generation.Succeeded, t.Generation.Rejected, t.NearDuplicatesRemoved);
        // Recombination and borrowing over every round's paths, as the in-process runner reports them.
        var catalogTypes = catalog.Select(d => d.DocumentType).ToHashSet(StringComparer.Ordinal);
        var paths = new List<InstructionPath>();
        for (var round = 1; round <= input.FinalRound; round++)
        {
            paths.AddRange(await blobs.ReadLinesAsync<InstructionPath>(layout.Paths(input.RunId, round), cancellationToken));
        }

        var graphReport = GraphReport.Build(new PathPlanner(sampling.Value, graphOptions.Value, logger).Resolve(graphs, catalogTypes), paths);
        // What the report needs beyond the pairs, as the in-process runner records it: the query side gathered with
        // the run's graphs (absent for runs without named inputs, or whose graphs were frozen before it was recorded:
        // those figures then say they are not recorded), the planned pairs per cell from every round's plan, and the
        // documents' tokens from the catalog.
        var tokens = catalog.GroupBy(d => d.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Tokens, StringComparer.Ordinal);
        var sourcesBlob = layout.RunReportSources(input.RunId);
        var sources = await blobs.ExistsAsync(sourcesBlob, cancellationToken)
            ? JsonSerializer.Deserialize<DatasetReportInputs>(await blobs.DownloadTextAsync(sourcesBlob, cancellationToken), WildLongJson.Options)
            : null;
        var lengthBuckets = documentOptions.Value.CreateLengthBuckets();
        var planned = new Dictionary<(string Type, TaskKind Kind, string Bucket), int>();
        for (var round = 1; round <= input.FinalRound; round++)
        {
            foreach (var pair in await blobs.ReadLinesAsync<PlannedPair>(layout.PlannedPairs(input.RunId, round), cancellationToken))
            {
                var cell = (pair.Instruction.DocumentType, pair.TaskKind, PairLengthBucket.Of(lengthBuckets, pair.DocumentTokens));
                planned[cell] = planned.GetValueOrDefault(cell) + 1;
            }
        }

        var reportInputs = new DatasetReportInputs(
            sources?.RealQueriesKept ?? t.Extraction.Succeeded, sources?.RealQuerySample, sources?.QueriesFilteredBy,
            records.SelectMany(r => r.Meta.DocumentIds).Distinct(StringComparer.Ordinal).Where(tokens.ContainsKey).Order(StringComparer.Ordinal)
                .ToDictionary(id => id, id => tokens[id], StringComparer.Ordinal),
            [.. planned.OrderBy(kv => kv.Key.Type, StringComparer.Ordinal).ThenBy(kv => kv.Key.Kind).ThenBy(kv => kv.Key.Bucket, StringComparer.Ordinal)
                .Select(kv => new PlannedPairCount(kv.Key.Type, kv.Key.Kind, kv.Key.Bucket, kv.Value))],
            runStages.Pairer.EffectiveMix(catalog), runStages.Options.MultiDocumentShare,
            lengthBuckets.Buckets, sources?.MetaInfoRecords ?? t.Extraction.Succeeded, sources?.FieldRecords);
        var result = new MethodRunResult(records, quarantine, graphs, counts, usage, scope, reason, graphReport, reportInputs);
        var folder = Path.Combine(Path.GetTempPath(), "wildlong-finalize", $"{input.RunId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(folder);
            await WritePairsAsync(keptBlob, kept, records, Path.Combine(folder, DatasetWriter.PairsFileName), cancellationToken);
            await DatasetWriter.WriteAroundPairsAsync(folder, result, new DatasetManifestExtras(model.Value.Deployment, input.Settings.Seed, input.Simulated || ModelIdentity.From(model.Value).Simulated, cost, configuration, prompts.Ids, input.Fingerprint, costs.CachedPriceRatio),
                new DatasetReportBuilder(embeddings), cancellationToken);
            var prefix = BlobLayout.DatasetPrefix(input.RunId);
            foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            {
                await using var stream = File.OpenRead(file);
                await blobs.UploadAsync(new BlobRef(layout.Containers.Datasets, prefix + Path.GetFileName(file)), stream, new { input.RunId, records.Count }, cancellationToken);
            }

            var run = await runs.GetAsync(input.RunId, cancellationToken);
            var now = DateTimeOffset.UtcNow;
            await runs.UpsertAsync((run ?? new RunRecord(input.RunId, "Completed", now, now, input.Settings.Pairs, input.Settings.Seed, "{}", prefix, null)) with
            {
                Status = "Completed",
                UpdatedAt = now,
                DatasetPrefix = prefix,
                SummaryJson = JsonSerializer.Serialize(new { records.Count, Cost = cost.Total.Total, counts }, WildLongJson.Options),
            }, cancellationToken);
            return new RunResult(input.RunId, layout.Containers.Datasets, prefix, records.Count, t, cost.Total.Total, reason);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>
    /// Writes the selected pairs' stored lines to <paramref name="path"/> in the selection's order (by id), without
    /// holding them: the lines of the kept blob are read once, the selected ones copied to a temporary file, then
    /// copied out in order — or written straight through when the blob already has them in that order.
    /// </summary>
    private async Task WritePairsAsync(BlobRef? keptBlob, List<TrainingRecord> kept, List<TrainingRecord> selected, string path, CancellationToken cancellationToken)
    {
        await using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        if (keptBlob is null || selected.Count == 0)
        {
            return;
        }

        // The kept blob's line of each selected pair (the headers were read from it, one per line, in order).
        var lineOf = new Dictionary<TrainingRecord, int>(ReferenceEqualityComparer.Instance);
        for (var line = 0; line < kept.Count; line++)
        {
            lineOf[kept[line]] = line;
        }

        var lines = selected.Select(r => lineOf[r]).ToArray();
        var inOrder = lines.Zip(lines.Skip(1)).All(p => p.First < p.Second);
        var wanted = lines.ToHashSet();
        await using var scratch = inOrder ? null : new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var target = scratch ?? output;
        var spans = new Dictionary<int, (long Offset, int Length)>();
        var index = 0;
        await foreach (var line in blobs.ReadRawLinesAsync(keptBlob, cancellationToken))
        {
            if (wanted.Contains(index))
            {
                var bytes = Encoding.UTF8.GetBytes(line + "\n");
                spans[index] = (target.Position, bytes.Length);
                await target.WriteAsync(bytes, cancellationToken);
            }

            index++;
        }

        if (spans.Count != lines.Length || index != kept.Count)
        {
            throw new InvalidDataException($"{keptBlob.Container}/{keptBlob.Name}: {index} lines, {kept.Count} when first read; the kept pairs changed while the dataset was written");
        }

        if (scratch is null)
        {
            return;
        }

        await scratch.FlushAsync(cancellationToken);
        foreach (var line in lines)
        {
            var (offset, length) = spans[line];
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                for (var read = 0; read < length;)
                {
                    var got = await RandomAccess.ReadAsync(scratch.SafeFileHandle, buffer.AsMemory(read, length - read), offset + read, cancellationToken);
                    read += got > 0 ? got : throw new EndOfStreamException($"{scratch.Name}: ended inside a pair");
                }

                await output.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
