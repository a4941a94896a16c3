using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.MetaInfo;
using WildLong.Core.Model;
using WildLong.Core.Prompts;
using WildLong.Core.Queries;

namespace WildLong.Core.Runner;

/// <summary>
/// The dry run: estimates the calls and tokens of a planned run from its inputs (query and document token counts,
/// the prompts, the planned pairs) without calling the model, so a user sees the bill before paying it. It mirrors
/// <see cref="MethodRunner"/>'s plan and assumes the document-first prompt layout, whose shared document prefix
/// the provider's prompt cache bills at the cached rate.
/// </summary>
public sealed class RunEstimator
{
    /// <summary>Share of each call's output budget that answers are assumed to use.</summary>
    public const double OutputFill = 0.5;

    private const int InstructionTokens = 120;
    private const int MinCachedPrefix = 1024;
    private const int CacheStep = 128;

    private readonly QueryReader queryReader;
    private readonly LongContextPreFilter preFilter;
    private readonly MetaInfoExtractor extractor;
    private readonly DocumentReader documentReader;
    private readonly DocumentTaxonomy taxonomy;
    private readonly PromptLibrary prompts;
    private readonly TokenCounter tokens;
    private readonly MetaInfoExtractionOptions extraction;
    private readonly DocumentOptions documents;
    private readonly GenerationOptions generation;
    private readonly MethodRunOptions run;

    public RunEstimator(
        QueryReader queryReader,
        LongContextPreFilter preFilter,
        MetaInfoExtractor extractor,
        DocumentReader documentReader,
        DocumentTaxonomy taxonomy,
        PromptLibrary prompts,
        TokenCounter tokens,
        IOptions<MetaInfoExtractionOptions> extraction,
        IOptions<DocumentOptions> documents,
        IOptions<GenerationOptions> generation,
        IOptions<MethodRunOptions> run)
    {
        ArgumentNullException.ThrowIfNull(extraction);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(generation);
        ArgumentNullException.ThrowIfNull(run);
        this.queryReader = queryReader;
        this.preFilter = preFilter;
        this.extractor = extractor;
        this.documentReader = documentReader;
        this.taxonomy = taxonomy;
        this.prompts = prompts;
        this.tokens = tokens;
        this.extraction = extraction.Value;
        this.documents = documents.Value;
        this.generation = generation.Value;
        this.run = run.Value;
    }

    public async Task<RunEstimate> EstimateAsync(string queriesPath, string documentsPath, CancellationToken cancellationToken)
    {
        // Stage 1: one extraction call per query the pre-filter keeps, on the (cut) query text.
        int queriesRead = 0, kept = 0;
        long extractionInput = 0;
        var extractionOverhead = PromptTokens("metainfo-extraction") + tokens.Count(extractor.FixedPromptText) + tokens.Count(SchemaText.Compact(extractor.ResponseSchema));
        await foreach (var result in queryReader.ReadAsync(queriesPath, cancellationToken))
        {
            if (!result.IsSuccess)
            {
                continue;
            }

            queriesRead++;
            if (extraction.UsePreFilter && !preFilter.Evaluate(result.Value!).Keep)
            {
                continue;
            }

            kept++;
            extractionInput += extractionOverhead + Math.Min(tokens.Count(result.Value!.Text), extraction.MaxQueryTokens);
        }

        // Stage 2 inputs: usable documents, and those whose hint does not spare the classification call.
        var buckets = documents.CreateLengthBuckets();
        var usable = new List<int>();
        var toClassify = 0;
        await foreach (var result in documentReader.ReadAsync(documentsPath, cancellationToken))
        {
            if (!result.IsSuccess)
            {
                continue;
            }

            var count = tokens.Count(result.Value!.Text);
            if (buckets.Resolve(count, out _) is null)
            {
                continue;
            }

            usable.Add(count);
            if (taxonomy.Resolve(result.Value.DocTypeHint) == taxonomy.Other)
            {
                toClassify++;
            }
        }

        var planned = (int)Math.Ceiling(run.Pairs * run.Oversample);
        var meanDocument = usable.Count == 0 ? 0 : (long)usable.Average();
        var meanDocumentsPerTask = (generation.MinDocumentsPerTask + generation.MaxDocumentsPerTask) / 2.0;
        var context = (long)(((1 - generation.MultiDocumentShare) * meanDocument)
            + (generation.MultiDocumentShare * Math.Min(meanDocumentsPerTask * meanDocument, generation.MaxMultiDocumentContextTokens)));

        var usage = new Dictionary<string, StageUsage>(StringComparer.Ordinal)
        {
            [StageNames.MetaInfoExtraction] = Estimate(kept, extractionInput, 0, extraction.MaxOutputTokens),
            [StageNames.InstructionWriting] = Estimate(planned, planned * (PromptTokens("instruction-writing") + (long)InstructionTokens), 0, generation.InstructionWritingMaxOutputTokens),
        };
        if (toClassify > 0)
        {
            usage[StageNames.ClassifyDocuments] = Estimate(toClassify, toClassify * (long)(PromptTokens("document-classification") + documents.ClassificationExcerptTokens), 0, documents.ClassificationMaxOutputTokens);
        }

        if (planned > 0 && usable.Count > 0)
        {
            // Three calls per pair share the document prefix; calls about one document run together, so every call
            // after the first in a document's group reads the prefix from the provider's prompt cache.
            var groups = Math.Min(usable.Count, planned);
            var cachedPerCall = context >= MinCachedPrefix ? context / CacheStep * CacheStep : 0;
            var cacheShare = (double)((3L * planned) - groups) / (3L * planned);
            var response = (long)(generation.ResponseMaxOutputTokens * OutputFill);
            usage[StageNames.InstructionAdaptation] = PairStage(planned, context + PromptTokens("instruction-adaptation") + InstructionTokens, cachedPerCall, cacheShare, generation.AdaptationMaxOutputTokens);
            usage[StageNames.ResponseGeneration] = PairStage(planned, context + PromptTokens("response-generation") + (2 * InstructionTokens), cachedPerCall, cacheShare, generation.ResponseMaxOutputTokens);
            usage[StageNames.QualityJudge] = PairStage(planned, context + PromptTokens("quality-judge") + (2 * InstructionTokens) + response, cachedPerCall, cacheShare, generation.JudgeMaxOutputTokens);
        }

        return new RunEstimate(usage, queriesRead, kept, usable.Count, toClassify, meanDocument, planned,
        [
            $"answers use {OutputFill:P0} of each stage's output budget",
            $"{run.Oversample:0.##}x pairs are planned for the {run.Pairs} wanted (failures, judge and dedup take the rest); "
                + $"when they take more than {1 - (1 / run.Oversample):P0}, later rounds (up to {run.MaxRounds}) plan more, which this estimate does not count",
            $"{generation.MultiDocumentShare:P0} of pairs are multi-document with {meanDocumentsPerTask:0.#} documents on average",
            "the document prefix is cached (≥ 1,024 tokens, 128-token steps) for every call about a document after its first",
            "structured-output retries, transport retries and the model's own filtering are not included",
        ]);
    }

    private static StageUsage Estimate(long calls, long input, long cached, int maxOutputTokens)
        => new(calls, 0, input, cached, (long)(calls * maxOutputTokens * OutputFill));

    private static StageUsage PairStage(int calls, long inputPerCall, long cachedPerCall, double cacheShare, int maxOutputTokens)
        => Estimate(calls, calls * inputPerCall, (long)(calls * cachedPerCall * cacheShare), maxOutputTokens);

    private int PromptTokens(string name)
    {
        var prompt = prompts.Get(name);
        return tokens.CountChatPrompt([prompt.System, prompt.User]);
    }
}
