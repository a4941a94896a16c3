using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Instructions;
using WildLong.Core.Llm;
using WildLong.Core.MetaInfo;
using WildLong.Core.Queries;

namespace WildLong.Core.Pipeline;

/// <summary>
/// Runs the whole method in one process, stage after stage, calling the same batch functions the durable
/// pipeline's activities call. It is the reference for what a run does, the baseline the durable pipeline is
/// measured against, and the simplest way to use the library on data that fits in memory.
/// </summary>
public sealed partial class MethodRunner
{
    private readonly QueryReader queryReader;
    private readonly MetaInfoExtractor extractor;
    private readonly MetaInfoNormalizer normalizer;
    private readonly NearDuplicateMerger valueMerger;
    private readonly MetaInfoSchema schema;
    private readonly DocumentTaxonomy taxonomy;
    private readonly TaxonomyOptions taxonomyOptions;
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
    private readonly ulong seed;
    private readonly ILogger<MethodRunner> logger;

    public MethodRunner(
        QueryReader queryReader,
        MetaInfoExtractor extractor,
        MetaInfoNormalizer normalizer,
        NearDuplicateMerger valueMerger,
        MetaInfoSchema schema,
        DocumentTaxonomy taxonomy,
        IOptions<TaxonomyOptions> taxonomyOptions,
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
        ArgumentNullException.ThrowIfNull(taxonomyOptions);
        ArgumentNullException.ThrowIfNull(samplingOptions);
        ArgumentNullException.ThrowIfNull(generationOptions);
        ArgumentNullException.ThrowIfNull(options);
        this.queryReader = queryReader;
        this.extractor = extractor;
        this.normalizer = normalizer;
        this.valueMerger = valueMerger;
        this.schema = schema;
        this.taxonomy = taxonomy;
        this.taxonomyOptions = taxonomyOptions.Value;
        this.documentReader = documentReader;
        this.indexer = indexer;
        this.instructionWriter = instructionWriter;
        this.pairer = pairer;
        this.pairGenerator = pairGenerator;
        this.deduplicator = deduplicator;
        this.ledger = ledger;
        this.graphOptions = graphOptions.Value;
        pathPlanner = new PathPlanner(samplingOptions.Value, graphOptions.Value.Weighting, logger);
        this.options = options.Value;
        seed = generationOptions.Value.Seed;
        this.logger = logger;
        this.options.Validate();
    }

    public async Task<MethodRunResult> RunAsync(string queriesPath, string documentsPath, IProgress<MethodProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queriesPath);
        ArgumentException.ThrowIfNullOrEmpty(documentsPath);
        var quarantine = new List<QuarantineEntry>();

        // Stage 1: queries → meta-information → graphs.
        var queries = await ReadAllAsync(queryReader.ReadAsync(queriesPath, cancellationToken), quarantine, cancellationToken);
        var extracted = new List<ExtractedMetaInfo>();
        var filtered = 0;
        foreach (var batch in queries.Chunk(options.QueryBatchSize))
        {
            var result = await extractor.ExtractAsync(batch, cancellationToken);
            extracted.AddRange(result.Extracted);
            filtered += result.Filtered.Count;
            quarantine.AddRange(result.Quarantined);
            progress?.Report(new MethodProgress(MetaInfoExtractor.StageName, extracted.Count + filtered, queries.Count));
        }

        var normalized = await normalizer.NormalizeAsync(extracted, cancellationToken);
        quarantine.AddRange(normalized.Quarantined);
        var valueCounts = NearDuplicateMerger.CountValues(normalized.Items);
        var mergeMap = await valueMerger.BuildAsync(valueCounts, cancellationToken);
        var typeCounts = normalized.Items.GroupBy(r => r.DocumentType, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var typeFold = taxonomy.FoldRareTypes(typeCounts, taxonomyOptions.MinQueriesPerType);
        var records = normalized.Items.Select(r => mergeMap.Apply(r) with { DocumentType = typeFold[r.DocumentType] }).ToList();
        var graphs = GraphSet.Build(records, graphOptions.Excluding(schema.NonGraphFields)).Prune(graphOptions);
        LogStageOne(queries.Count, filtered, records.Count, graphs.Count);

        // Stage 2: corpus → index.
        var documents = await ReadAllAsync(documentReader.ReadAsync(documentsPath, cancellationToken), quarantine, cancellationToken);
        var catalog = new List<IndexedDocument>();
        foreach (var batch in documents.Chunk(options.DocumentBatchSize))
        {
            var result = await indexer.IndexAsync(batch, cancellationToken);
            catalog.AddRange(result.Items);
            quarantine.AddRange(result.Quarantined);
            progress?.Report(new MethodProgress(DocumentIndexer.StageName, catalog.Count, documents.Count));
        }

        // Pairing depends on catalog order; id order makes it independent of corpus file order and equal to the
        // durable pipeline's, which reads the catalog from the document table.
        catalog.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));

        // Rounds: plan paths, write instructions, pair and generate; if failures, the judge and deduplication left
        // fewer pairs than wanted, plan more paths (the sampler's plan is prefix-stable, so earlier paths repeat and
        // are skipped) sized by the yield seen so far, up to MaxRounds.
        var texts = documents.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var seenPaths = new HashSet<string>(StringComparer.Ordinal);
        var instructions = new List<AgnosticInstruction>();
        var distinctInstructions = new List<AgnosticInstruction>();
        var kept = new List<TrainingRecord>();
        int pathCount = 0, plannedCount = 0, generatedCount = 0, rejected = 0, duplicates = 0;
        var wantedPaths = (int)Math.Ceiling(options.Pairs * options.Oversample);
        for (var round = 1; round <= options.MaxRounds && kept.Count < options.Pairs; round++)
        {
            var paths = pathPlanner.PlanFresh(graphs, catalog.Select(d => d.DocumentType).ToHashSet(StringComparer.Ordinal), wantedPaths, seed, seenPaths, cancellationToken);
            if (paths.Count == 0)
            {
                break;
            }

            pathCount += paths.Count;
            var written = new List<AgnosticInstruction>();
            foreach (var batch in paths.Chunk(options.InstructionBatchSize))
            {
                var result = await instructionWriter.WriteAsync(batch, cancellationToken);
                written.AddRange(result.Items);
                quarantine.AddRange(result.Quarantined);
                progress?.Report(new MethodProgress(InstructionWriter.StageName, instructions.Count + written.Count, pathCount));
            }

            instructions.AddRange(written);
            var distinct = await NearDuplicateFilter.KeepNewAsync(distinctInstructions, written, deduplicator.FilterInstructionsAsync, cancellationToken);
            quarantine.AddRange(distinct.Quarantined);
            var fresh = distinct.Items;
            duplicates += written.Count - fresh.Count;
            distinctInstructions.AddRange(fresh);
            var planned = await pairer.PairAsync(fresh, catalog, cancellationToken);
            quarantine.AddRange(planned.Quarantined);
            plannedCount += planned.Items.Count;

            // Pairs arrive grouped by document, so each batch keeps the calls about one document together.
            var generated = new List<TrainingRecord>();
            foreach (var batch in planned.Items.Chunk(options.PairBatchSize))
            {
                var loaded = batch.Select(p => new LoadedPair(p, p.Documents.Select(d => texts[d.Id]).ToList())).ToList();
                var result = await pairGenerator.GenerateAsync(loaded, cancellationToken);
                generated.AddRange(result.Items);
                rejected += result.Quarantined.Count;
                quarantine.AddRange(result.Quarantined);
                progress?.Report(new MethodProgress(PairGenerator.StageName, generatedCount + generated.Count + rejected, plannedCount));
            }

            generatedCount += generated.Count;
            var distinctPairs = await NearDuplicateFilter.KeepNewAsync(kept, generated, deduplicator.FilterAsync, cancellationToken);
            quarantine.AddRange(distinctPairs.Quarantined);
            var freshPairs = distinctPairs.Items;
            duplicates += generated.Count - freshPairs.Count;
            kept.AddRange(freshPairs);

            // Grow by what the observed yield says is missing, at most tripling the plan per round.
            var yieldPerPath = Math.Max(0.05, (double)kept.Count / pathCount);
            wantedPaths = Math.Min(wantedPaths * 3, wantedPaths + (int)Math.Ceiling((options.Pairs - kept.Count) / yieldPerPath));
        }

        kept = [.. kept.OrderBy(r => r.Meta.Id, StringComparer.Ordinal).Take(options.Pairs)];
        var counts = new MethodRunCounts(
            queries.Count, filtered, records.Count, mergeMap.MergedValueCount, catalog.Count, pathCount,
            instructions.Count, plannedCount, generatedCount, rejected, duplicates, kept.Count,
            quarantine.GroupBy(q => q.Stage, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            valueMerger.TopMerges(mergeMap, valueCounts));
        return new MethodRunResult(kept, quarantine, graphs, counts, ledger.Snapshot());
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
