using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Model;

namespace WildLong.Core.Generation;

/// <summary>
/// Stage 2's batch function: for each planned pair with its loaded documents, adapt the instruction, answer it,
/// judge the result and emit a <see cref="TrainingRecord"/>. Items about the same document(s) run back to back so
/// the shared document prefix stays warm in the provider's prompt cache; a failed or rejected item is quarantined
/// and never affects the others.
/// </summary>
public sealed class PairGenerator
{
    private readonly InstructionAdapter adapter;
    private readonly ResponseGenerator responder;
    private readonly QualityJudge judge;
    private readonly GenerationOptions options;
    private readonly string model;
    private readonly ILogger<PairGenerator> logger;

    public PairGenerator(
        InstructionAdapter adapter,
        ResponseGenerator responder,
        QualityJudge judge,
        IOptions<GenerationOptions> options,
        IOptions<LlmCallOptions> llmOptions,
        ILogger<PairGenerator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(llmOptions);
        this.adapter = adapter ?? throw new ArgumentNullException(nameof(adapter));
        this.responder = responder ?? throw new ArgumentNullException(nameof(responder));
        this.judge = judge ?? throw new ArgumentNullException(nameof(judge));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.options = options.Value;
        this.options.Validate();
        model = llmOptions.Value.ModelId ?? "unspecified";
    }

    /// <summary>
    /// Generates records for a batch. Output (records and quarantine) is in group order: by
    /// <see cref="PlannedPair.GroupKey"/>, then instruction index, whatever the order of the input.
    /// </summary>
    public Task<BatchResult<TrainingRecord>> GenerateAsync(IReadOnlyList<LoadedPair> batch, CancellationToken cancellationToken)
        => GenerateAsync(batch, null, cancellationToken);

    /// <summary>
    /// Generates records for a batch; when the adapter says an instruction does not fit its document(s), the pair
    /// is re-paired with other document(s) of its type from <paramref name="documents"/> (at most
    /// <see cref="GenerationOptions.MaxRefitAttempts"/> times) instead of being adapted into another task. Without a
    /// source, a misfit is quarantined. Output order is as for <see cref="GenerateAsync(IReadOnlyList{LoadedPair}, CancellationToken)"/>.
    /// </summary>
    public async Task<BatchResult<TrainingRecord>> GenerateAsync(IReadOnlyList<LoadedPair> batch, IPairDocumentSource? documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var ordered = batch
            .Select((item, position) => (Item: item, Position: position))
            .OrderBy(x => x.Item.Plan.GroupKey, StringComparer.Ordinal)
            .ThenBy(x => x.Item.Plan.Instruction.Index)
            .ThenBy(x => x.Position)
            .Select(x => x.Item)
            .ToArray();
        var outcomes = new (TrainingRecord? Record, QuarantineEntry? Failure)[ordered.Length];
        var groups = Enumerable.Range(0, ordered.Length)
            .GroupBy(i => ordered[i].Plan.GroupKey, StringComparer.Ordinal)
            .Select(g => g.ToArray())
            .ToArray();

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentDocuments, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(groups, parallel, async (positions, ct) =>
        {
            foreach (var position in positions)
            {
                outcomes[position] = await GenerateOneAsync(ordered[position], documents, ct);
            }
        });

        var records = outcomes.Where(o => o.Record is not null).Select(o => o.Record!).ToList();
        var quarantined = outcomes.Where(o => o.Failure is not null).Select(o => o.Failure!).ToList();
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Pair generation: {Records} records, {Quarantined} quarantined, from {Items} items over {Groups} document groups",
                records.Count, quarantined.Count, ordered.Length, groups.Length);
        }

        return new BatchResult<TrainingRecord>(records, quarantined);
    }

    private async Task<(TrainingRecord? Record, QuarantineEntry? Failure)> GenerateOneAsync(LoadedPair item, IPairDocumentSource? documents, CancellationToken cancellationToken)
    {
        var original = item.Plan;
        var plan = original;
        var tried = new HashSet<string>(plan.Documents.Select(d => d.Id), StringComparer.Ordinal);
        var refits = 0;
        DocumentContext context;
        StepResult<AdaptedInstruction> adapted;
        while (true)
        {
            var mismatch = CheckDocuments(item);
            if (mismatch is not null)
            {
                return (null, QuarantineEntry.ForItem(StageNames.PairGeneration, plan.Id, mismatch));
            }

            context = DocumentContext.For(item.Documents);
            adapted = await adapter.AdaptAsync(plan, context, cancellationToken);
            if (!adapted.IsSuccess)
            {
                return (null, QuarantineEntry.ForItem(StageNames.InstructionAdaptation, plan.Id, adapted.FailureReason!, adapted.Detail));
            }

            if (adapted.Value!.Fits)
            {
                break;
            }

            var next = documents is null || refits >= options.MaxRefitAttempts
                ? null
                : await RefitAsync(plan, documents, tried, refits + 1, cancellationToken);
            if (next is null)
            {
                var why = documents is null ? "no document source to re-pair from"
                    : refits >= options.MaxRefitAttempts ? $"{refits} re-pairing(s) tried"
                    : "no other document of the type to re-pair with";
                return (null, QuarantineEntry.ForItem(StageNames.InstructionAdaptation, original.Id,
                    $"the instruction does not fit its document(s) ({why}): {adapted.Value.Reason}",
                    $"documents tried: {string.Join(", ", tried.Order(StringComparer.Ordinal))}"));
            }

            refits++;
            item = next;
            plan = next.Plan;
            tried.UnionWith(plan.Documents.Select(d => d.Id));
        }

        var instruction = adapted.Value!.Text;
        var response = await responder.GenerateAsync(plan, context, instruction, cancellationToken);
        if (!response.IsSuccess)
        {
            return (null, QuarantineEntry.ForItem(StageNames.ResponseGeneration, plan.Id, response.FailureReason!, response.Detail));
        }

        var grounded = response.Value!;
        var answer = CitationMarkers.TrainingText(grounded, options.StripCitationMarkers);
        var verdict = await judge.JudgeAsync(plan, context, instruction, grounded, cancellationToken);
        if (!verdict.IsSuccess)
        {
            return (null, QuarantineEntry.ForItem(StageNames.QualityJudge, plan.Id, verdict.FailureReason!, verdict.Detail));
        }

        var judgement = verdict.Value!;
        if (!judge.Accepts(judgement))
        {
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"intent_preserved={judgement.IntentPreserved}, answerable={judgement.Answerable}, document_dependent={judgement.DocumentDependent}, score={judgement.Score} (minimum {options.MinJudgeScore})");
            return (null, QuarantineEntry.ForItem(StageNames.QualityJudge, plan.Id, "rejected by the quality judge: " + judgement.Reason, detail) with { JudgeScore = judgement.Score });
        }

        var position = DocumentContext.PositionFor(options.Seed, plan.Id, options.InstructionBeforeDocumentsShare);
        var userTurn = context.ComposeUserTurn(instruction, position);
        var meta = new TrainingRecordMeta(
            Id: plan.Id,
            DocumentType: plan.Instruction.DocumentType,
            TaskKind: plan.TaskKind,
            PathKey: plan.Instruction.PathKey,
            PathIndex: plan.Instruction.Index,
            Path: plan.Instruction.Steps,
            DocumentIds: context.DocumentIds,
            LengthBuckets: [.. plan.Documents.Select(d => d.LengthBucket)],
            AgnosticInstruction: plan.Instruction.Text,
            Instruction: instruction,
            PromptTokens: TokenCounter.Shared.Count(userTurn),
            ResponseTokens: TokenCounter.Shared.Count(answer),
            Model: model,
            Seed: options.Seed,
            PromptVersions: [plan.Instruction.PromptId, adapter.Prompt.Id, responder.Prompt.Id, judge.Prompt.Id],
            Judge: judgement,
            Citations: grounded.Citations,
            Refits: refits,
            InstructionPosition: position);
        TrainingMessage[] messages =
        [
            new(TrainingMessage.UserRole, userTurn),
            new(TrainingMessage.AssistantRole, answer),
        ];
        return (new TrainingRecord(messages, meta), null);
    }

    /// <summary>The next re-pairing of <paramref name="plan"/> with its documents loaded, or null when there is none.</summary>
    private async Task<LoadedPair?> RefitAsync(PlannedPair plan, IPairDocumentSource documents, IReadOnlySet<string> tried, int attempt, CancellationToken cancellationToken)
    {
        var candidates = await documents.CandidatesAsync(plan.Instruction.DocumentType, cancellationToken);
        var next = DocumentRefit.Choose(plan, candidates, tried, attempt, options);
        if (next is null)
        {
            return null;
        }

        var loaded = new List<LongDocument>(next.Documents.Count);
        foreach (var document in next.Documents)
        {
            loaded.Add(await documents.LoadAsync(document.Id, cancellationToken));
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Pair {PairId}: instruction does not fit; re-paired with {Documents} (attempt {Attempt})", plan.Id, next.GroupKey, attempt);
        }

        return new LoadedPair(next, loaded);
    }

    private static string? CheckDocuments(LoadedPair item)
    {
        var planned = item.Plan.Documents.Select(d => d.Id).ToArray();
        var loaded = item.Documents?.Select(d => d?.Id).ToArray() ?? [];
        if (!planned.SequenceEqual(loaded, StringComparer.Ordinal))
        {
            return $"loaded documents [{string.Join(", ", loaded)}] do not match the planned documents [{string.Join(", ", planned)}]";
        }

        var empty = item.Documents!.FirstOrDefault(d => string.IsNullOrWhiteSpace(d.Text));
        return empty is null ? null : $"document '{empty.Id}' has no text";
    }
}
