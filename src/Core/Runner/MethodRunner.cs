using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Instructions;
using WildLong.Core.MetaInfo;
using WildLong.Core.Model;
using WildLong.Core.Queries;
using WildLong.Core.Reports;

namespace WildLong.Core.Runner;

/// <summary>
/// Runs the whole method in one process, step after step (names: <see cref="StageNames"/>; stage 1 takes queries to
/// instructions, stage 2 documents, pairing and answers to pairs), calling the same batch functions the durable
/// pipeline's activities call. It is the reference for what a run does, the baseline the durable pipeline is
/// measured against, and the simplest way to use the library on data that fits in memory.
/// </summary>
public sealed partial class MethodRunner
{
    private readonly QueryReader queryReader;
    private readonly MetaInfoExtractor extractor;
    private readonly MetaInfoNormalizer normalizer;
    private readonly GraphFinalizer graphFinalizer;
    private readonly MetaInfoSchema schema;
    private readonly DocumentReader documentReader;
    private readonly DocumentIndexer indexer;
    private readonly InstructionWriter instructionWriter;
    private readonly DocumentPairer pairer;
    private readonly PairGenerator pairGenerator;
    private readonly NearDuplicateFilter deduplicator;
    private readonly UsageLedger ledger;
    private readonly GraphOptions graphOptions;
    private readonly PathPlanner pathPlanner;
    private readonly MethodRunOptions options;
    private readonly GenerationOptions generationOptions;
    private readonly ulong seed;
    private readonly ILogger<MethodRunner> logger;

    public MethodRunner(
        QueryReader queryReader,
        MetaInfoExtractor extractor,
        MetaInfoNormalizer normalizer,
        GraphFinalizer graphFinalizer,
        MetaInfoSchema schema,
        DocumentReader documentReader,
        DocumentIndexer indexer,
        InstructionWriter instructionWriter,
        DocumentPairer pairer,
        PairGenerator pairGenerator,
        NearDuplicateFilter deduplicator,
        UsageLedger ledger,
        IOptions<GraphOptions> graphOptions,
        IOptions<SamplingOptions> samplingOptions,
        IOptions<GenerationOptions> generationOptions,
        IOptions<MethodRunOptions> options,
        ILogger<MethodRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(graphOptions);
        ArgumentNullException.ThrowIfNull(samplingOptions);
        ArgumentNullException.ThrowIfNull(generationOptions);
        ArgumentNullException.ThrowIfNull(options);
        this.queryReader = queryReader;
        this.extractor = extractor;
        this.normalizer = normalizer;
        this.graphFinalizer = graphFinalizer;
        this.schema = schema;
        this.documentReader = documentReader;
        this.indexer = indexer;
        this.instructionWriter = instructionWriter;
        this.pairer = pairer;
        this.pairGenerator = pairGenerator;
        this.deduplicator = deduplicator;
        this.ledger = ledger;
        this.graphOptions = graphOptions.Value;
        pathPlanner = new PathPlanner(samplingOptions.Value, graphOptions.Value, logger);
        this.options = options.Value;
        this.generationOptions = generationOptions.Value;
        seed = generationOptions.Value.Seed;
        this.logger = logger;
        this.options.Validate();
    }

    public async Task<MethodRunResult> RunAsync(string queriesPath, string documentsPath, IProgress<MethodProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queriesPath);
        ArgumentException.ThrowIfNullOrEmpty(documentsPath);
        var quarantine = new List<QuarantineEntry>();

        // Stage 1, first part: queries → meta-information → graphs (its last part, paths → instructions, runs in the rounds).
        var queries = await ReadAllAsync(queryReader.ReadAsync(queriesPath, cancellationToken), quarantine, cancellationToken);
        var extracted = new List<ExtractedMetaInfo>();
        var filtered = 0;
        var filteredBy = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var batch in queries.Chunk(options.QueryBatchSize))
        {
            var result = await extractor.ExtractAsync(batch, cancellationToken);
            extracted.AddRange(result.Extracted);
            filtered += result.Filtered.Count;
            foreach (var query in result.Filtered)
            {
                filteredBy[query.FilteredBy] = filteredBy.GetValueOrDefault(query.FilteredBy) + 1;
            }

            quarantine.AddRange(result.Quarantined);
            progress?.Report(new MethodProgress(StageNames.MetaInfoExtraction, extracted.Count + filtered, queries.Count));
        }

        var normalized = await normalizer.NormalizeAsync(extracted, cancellationToken);
        quarantine.AddRange(normalized.Quarantined);
        // The same finalization the durable pipeline applies to its shards' summed counts: counts in, graphs out.
        var records = normalized.Items;
        var finalized = await graphFinalizer.FinalizeAsync(GraphSet.Build(records, graphOptions.Excluding(schema.NonGraphFields)), cancellationToken);
        var graphs = finalized.Graphs;
        var mergeMap = finalized.Merges;
        var queryTexts = queries.GroupBy(q => q.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Text, StringComparer.Ordinal);
        var examples = RequestExampleIndex.Build(
            records.Select(r => finalized.Merges.Apply(r) with { DocumentType = finalized.TypeFold.GetValueOrDefault(r.DocumentType, r.DocumentType) }),
            id => queryTexts.GetValueOrDefault(id));
        LogStageOne(queries.Count, filtered, records.Count, graphs.Count);

        // Stage 2, first part: corpus → document index (pairing and answers run in the rounds).
        var documents = await ReadAllAsync(documentReader.ReadAsync(documentsPath, cancellationToken), quarantine, cancellationToken);
        var catalog = new List<IndexedDocument>();
        foreach (var batch in documents.Chunk(options.DocumentBatchSize))
        {
            var result = await indexer.IndexAsync(batch, cancellationToken);
            catalog.AddRange(result.Items);
            quarantine.AddRange(result.Quarantined);
            progress?.Report(new MethodProgress(StageNames.IndexDocuments, catalog.Count, documents.Count));
        }

        // Pairing depends on catalog order; id order makes it independent of corpus file order and equal to the
        // durable pipeline's, which reads the run's catalog in id order.
        catalog.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var queriesRejected = quarantine.Count(q => q.Stage is StageNames.ReadQueries or StageNames.MetaInfoExtraction or StageNames.MetaInfoNormalization);
        var documentRejection = quarantine.Where(q => q.Stage == StageNames.IndexDocuments).GroupBy(q => q.Reason, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();
        var noPairsReason = NoPairsReason.BeforeGeneration(queries.Count, filtered, queriesRejected, records.Count, documents.Count, catalog.Count, documentRejection);

        // Rounds: plan paths and write instructions (the end of stage 1), pair and generate (stage 2); the round policy (RoundPlanner, shared with the
        // durable pipeline) sizes each next round per task kind by the yield seen so far (the sampler's plan is
        // prefix-stable, so earlier paths repeat and are skipped) and picks the dataset out of the kept pairs.
        var texts = documents.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var refitSource = new InMemoryPairDocumentSource(catalog, documents);
        var sources = pathPlanner.Resolve(graphs, catalog.Select(d => d.DocumentType).ToHashSet(StringComparer.Ordinal));
        var sampledPaths = new List<InstructionPath>();
        var seenPaths = new HashSet<string>(StringComparer.Ordinal);
        var instructions = new List<AgnosticInstruction>();
        var distinctInstructions = new List<AgnosticInstruction>();
        var kept = new List<TrainingRecord>();
        var plannedCells = new Dictionary<(string, TaskKind, string), int>();
        int pathCount = 0, multiPathCount = 0, plannedCount = 0, generatedCount = 0, rejected = 0, duplicates = 0;
        var typesWithDocuments = catalog.Select(d => d.DocumentType).ToHashSet(StringComparer.Ordinal);
        var multiDocumentTypes = pairer.MultiDocumentTypes(catalog);
        var multiDocumentPossible = graphs.Graphs.Any(g => g.NodeCount > 0 && multiDocumentTypes.Contains(g.DocumentType));
        var roundPlanner = new RoundPlanner(options.Pairs, options.Oversample, options.MaxRounds);
        for (var plan = noPairsReason is null ? roundPlanner.First : null; plan is not null;)
        {
            var sampled = pathPlanner.PlanFresh(sources, plan.WantedPaths, seed, seenPaths, cancellationToken);
            var paths = TaskKindPlanner.Assign(generationOptions, sampled, plan.MultiDocumentShare ?? generationOptions.MultiDocumentShare, multiDocumentTypes)
                .Select(examples.Attach).ToList();
            if (paths.Count == 0)
            {
                break;
            }

            sampledPaths.AddRange(paths);
            pathCount += paths.Count;
            multiPathCount += paths.Count(p => p.PlannedKind is not TaskKind.SingleDocument);
            var written = new List<AgnosticInstruction>();
            foreach (var batch in paths.Chunk(options.InstructionBatchSize))
            {
                var result = await instructionWriter.WriteAsync(batch, cancellationToken);
                written.AddRange(result.Items);
                quarantine.AddRange(result.Quarantined);
                progress?.Report(new MethodProgress(StageNames.InstructionWriting, instructions.Count + written.Count, pathCount));
            }

            instructions.AddRange(written);
            var distinct = await NearDuplicateFilter.KeepNewAsync(distinctInstructions, written, deduplicator.FilterInstructionsAsync, cancellationToken);
            quarantine.AddRange(distinct.Quarantined);
            var fresh = distinct.Items;
            duplicates += written.Count - fresh.Count;
            distinctInstructions.AddRange(fresh);
            var planned = await pairer.PairAsync(fresh, catalog, cancellationToken, DocumentPairer.KeptSingleDocumentBuckets(kept));
            quarantine.AddRange(planned.Quarantined);
            plannedCount += planned.Items.Count;
            foreach (var pair in planned.Items)
            {
                var cell = (pair.Instruction.DocumentType, pair.TaskKind, PairLengthBucket.Of(indexer.LengthBuckets, pair.DocumentTokens));
                plannedCells[cell] = plannedCells.GetValueOrDefault(cell) + 1;
            }

            // Pairs arrive grouped by document, so each batch keeps the calls about one document together.
            var generated = new List<TrainingRecord>();
            foreach (var batch in planned.Items.Chunk(options.PairBatchSize))
            {
                var loaded = batch.Select(p => new LoadedPair(p, p.Documents.Select(d => texts[d.Id]).ToList())).ToList();
                var result = await pairGenerator.GenerateAsync(loaded, refitSource, cancellationToken);
                generated.AddRange(result.Items);
                rejected += result.Quarantined.Count;
                quarantine.AddRange(result.Quarantined);
                progress?.Report(new MethodProgress(StageNames.PairGeneration, generatedCount + generated.Count + rejected, plannedCount));
            }

            generatedCount += generated.Count;
            var distinctPairs = await NearDuplicateFilter.KeepNewAsync(kept, generated, deduplicator.FilterAsync, cancellationToken);
            quarantine.AddRange(distinctPairs.Quarantined);
            var freshPairs = distinctPairs.Items;
            duplicates += generated.Count - freshPairs.Count;
            kept.AddRange(freshPairs);

            var tally = new RoundTally(pathCount, multiPathCount, kept.Count, kept.Count(r => r.Meta.TaskKind != TaskKind.SingleDocument),
                generationOptions.MultiDocumentShare, multiDocumentPossible);
            plan = roundPlanner.Next(plan, paths.Count, tally);
        }

        kept = [.. RoundPlanner.Select(kept, options.Pairs, generationOptions.MultiDocumentShare, pairer.EffectiveMix(catalog))];
        var counts = new MethodRunCounts(
            queries.Count, filtered, records.Count, mergeMap.MergedValueCount, catalog.Count, pathCount,
            instructions.Count, plannedCount, generatedCount, rejected, duplicates, kept.Count,
            quarantine.GroupBy(q => q.Stage, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            finalized.TopMerges);
        if (kept.Count == 0)
        {
            noPairsReason ??= NoPairsReason.AfterGeneration(pathCount, instructions.Count, plannedCount, generatedCount, rejected, duplicates);
        }

        var scope = new RunScopeReport(
            RunScopeReport.NamedInputs,
            [await DescribeInputAsync(queriesPath, [.. QueryReader.JsonlExtensions, .. QueryReader.ParquetExtensions], queries.Count, cancellationToken)],
            [await DescribeInputAsync(documentsPath, [.. DocumentReader.JsonlExtensions, .. TextFolderDocumentReader.TextExtensions], catalog.Count, cancellationToken)]);
        var catalogTokens = catalog.GroupBy(d => d.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Tokens, StringComparer.Ordinal);
        var graphFields = records.Select(finalized.Merges.Apply)
            .SelectMany(r => r.Fields.Where(f => f.Value.Count > 0 && !schema.NonGraphFields.Contains(f.Key)).Select(f => f.Key))
            .GroupBy(f => f, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var reportInputs = new DatasetReportInputs(
            records.Select(r => r.QueryId).Distinct(StringComparer.Ordinal).LongCount(),
            DatasetReportInputs.Sample(records.Select(r => r.QueryId).Where(queryTexts.ContainsKey).Select(id => (id, queryTexts[id])), seed),
            filteredBy,
            kept.SelectMany(r => r.Meta.DocumentIds).Distinct(StringComparer.Ordinal).Where(catalogTokens.ContainsKey)
                .Order(StringComparer.Ordinal).ToDictionary(id => id, id => catalogTokens[id], StringComparer.Ordinal),
            [.. plannedCells.OrderBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2).ThenBy(kv => kv.Key.Item3, StringComparer.Ordinal)
                .Select(kv => new PlannedPairCount(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3, kv.Value))],
            pairer.EffectiveMix(catalog),
            generationOptions.MultiDocumentShare,
            indexer.LengthBuckets.Buckets,
            records.Count,
            graphFields);
        return new MethodRunResult(kept, quarantine, graphs, counts, ledger.Snapshot(), scope, kept.Count == 0 ? noPairsReason : null, GraphReport.Build(sources, sampledPaths), reportInputs);
    }

    /// <summary>
    /// A local input as the manifest names it: its path, and as version the content identity the CLI derives run ids
    /// and upload prefixes from (<see cref="LocalInputIdentity"/>); "-" when the path holds no input file.
    /// </summary>
    private static async Task<ScopedInput> DescribeInputAsync(string path, IReadOnlyCollection<string> extensions, long items, CancellationToken cancellationToken)
    {
        const string LocalPrefix = "local-";
        var version = "-";
        if (File.Exists(path) || Directory.Exists(path))
        {
            var (prefix, _) = await LocalInputIdentity.ComputeAsync(path, extensions, cancellationToken);
            if (prefix.StartsWith(LocalPrefix, StringComparison.Ordinal))
            {
                version = prefix[LocalPrefix.Length..].TrimEnd('/');
            }
        }

        return new ScopedInput(path, version, items);
    }

    private static async Task<List<T>> ReadAllAsync<T>(IAsyncEnumerable<ReadResult<T>> source, List<QuarantineEntry> quarantine, CancellationToken cancellationToken)
        where T : class
    {
        var items = new List<T>();
        await foreach (var result in source.WithCancellation(cancellationToken))
        {
            if (result.IsSuccess)
            {
                items.Add(result.Value!);
            }
            else
            {
                quarantine.Add(result.Error!);
            }
        }

        return items;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stage 1: {Queries} queries read, {Filtered} filtered, {Records} meta-information records, {Types} document types")]
    private partial void LogStageOne(int queries, int filtered, int records, int types);

}
