using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Llm;

namespace WildLong.Core.Generation;

/// <summary>
/// Stage 2's batch function: for each planned pair with its loaded documents, adapt the instruction, answer it,
/// judge the result and emit a <see cref="TrainingRecord"/>. Items about the same document(s) run back to back so
/// the shared document prefix stays warm in the provider's prompt cache; a failed or rejected item is quarantined
/// and never affects the others.
/// </summary>
public sealed class PairGenerator
{
    public const string StageName = "pair-generation";

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
    public async Task<BatchResult<TrainingRecord>> GenerateAsync(IReadOnlyList<LoadedPair> batch, CancellationToken cancellationToken)
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
                outcomes[position] = await GenerateOneAsync(ordered[position], ct);
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

    private async Task<(TrainingRecord? Record, QuarantineEntry? Failure)> GenerateOneAsync(LoadedPair item, CancellationToken cancellationToken)
    {
        var plan = item.Plan;
        var mismatch = CheckDocuments(item);
        if (mismatch is not null)
        {
            return (null, QuarantineEntry.ForItem(StageName, plan.Id, mismatch));
        }

        var context = DocumentContext.For(item.Documents);

        var adapted = await adapter.AdaptAsync(plan, context, cancellationToken);
        if (!adapted.IsSuccess)
        {
            return (null, QuarantineEntry.ForItem(InstructionAdapter.StageName, plan.Id, adapted.FailureReason!, adapted.Detail));
        }

        var instruction = adapted.Value!;
        var response = await responder.GenerateAsync(plan, context, instruction, cancellationToken);
        if (!response.IsSuccess)
        {
            return (null, QuarantineEntry.ForItem(ResponseGenerator.StageName, plan.Id, response.FailureReason!, response.Detail));
        }

        var answer = response.Value!;
        var verdict = await judge.JudgeAsync(plan, context, instruction, answer, cancellationToken);
        if (!verdict.IsSuccess)
        {
            return (null, QuarantineEntry.ForItem(QualityJudge.StageName, plan.Id, verdict.FailureReason!, verdict.Detail));
        }

        var judgement = verdict.Value!;
        if (!judge.Accepts(judgement))
        {
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"answerable={judgement.Answerable}, document_dependent={judgement.DocumentDependent}, score={judgement.Score} (minimum {options.MinJudgeScore})");
            return (null, QuarantineEntry.ForItem(QualityJudge.StageName, plan.Id, "rejected by the quality judge: " + judgement.Reason, detail));
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
            InstructionPosition: position);
        TrainingMessage[] messages =
        [
            new(TrainingMessage.UserRole, userTurn),
            new(TrainingMessage.AssistantRole, answer),
        ];
        return (new TrainingRecord(messages, meta), null);
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
