using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WildLong.Core.Llm;
using WildLong.Core.Prompts;

namespace WildLong.Core.Generation;

/// <summary>
/// The quality gate: an LLM judge that rejects pairs which cannot be answered from the document(s), do not need
/// them, or are of poor quality. Without it, instruction synthesis produces a long tail of generic or unanswerable
/// items that teach a model to ignore its context.
/// </summary>
public sealed class QualityJudge
{
    public const string PromptName = "quality-judge";

    /// <summary>
    /// The verdict's schema. <c>reason</c> comes first so the judge reasons before it commits to verdicts;
    /// <c>intent_preserved</c> checks the adapted request against the generic one.
    /// </summary>
    internal static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "reason": { "type": "string" },
            "intent_preserved": { "type": "boolean" },
            "answerable": { "type": "boolean" },
            "document_dependent": { "type": "boolean" },
            "score": { "type": "integer" }
          },
          "required": ["reason", "intent_preserved", "answerable", "document_dependent", "score"],
          "additionalProperties": false
        }
        """).RootElement.Clone();

    private readonly LlmCaller llm;
    private readonly GenerationOptions options;

    public QualityJudge(LlmCaller llm, PromptLibrary prompts, IOptions<GenerationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        this.llm = llm ?? throw new ArgumentNullException(nameof(llm));
        this.options = options.Value;
        this.options.Validate();
        Prompt = prompts.Get(PromptName);
    }

    public PromptTemplate Prompt { get; }

    /// <summary>Judges the adapted <c>instruction</c> and its response; the generic request is the plan's instruction.</summary>
    public async Task<StepResult<JudgeVerdict>> JudgeAsync(PlannedPair plan, DocumentContext context, string instruction, GroundedResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(response);
        var multi = context.Documents.Count > 1;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["generic_instruction"] = plan.Instruction.Text,
            ["instruction"] = instruction,
            ["response"] = response.Answer,
            ["citations"] = RenderCitations(response.Citations, multi),
            ["reference"] = multi ? "these documents" : "the document",
            ["multi_document_rule"] = multi ? "For several documents, it is true only if every one of them is needed." : string.Empty,
        };
        var messages = context.ComposeMessages(Prompt, values);
        var seed = GenerationSeeds.ForCall(options.Seed, StageNames.QualityJudge, plan.Id);
        var result = await llm.CompleteJsonAsync(StageNames.QualityJudge, messages, Schema, "quality_verdict", options.JudgeMaxOutputTokens,
            seed, Check, cancellationToken);
        if (!result.Success)
        {
            return StepResult<JudgeVerdict>.Fail(result.FailureReason ?? "the model call failed", result.RawOutput);
        }

        var value = result.Value;
        return StepResult<JudgeVerdict>.Ok(new JudgeVerdict(
            value.GetProperty("answerable").GetBoolean(),
            value.GetProperty("document_dependent").GetBoolean(),
            value.GetProperty("score").GetInt32(),
            value.GetProperty("reason").GetString()!.Trim(),
            value.GetProperty("intent_preserved").GetBoolean()));
    }

    /// <summary>
    /// True when the verdict lets the pair through: the adapted request kept the generic one's intent, is answerable
    /// and document-dependent, and the pair scored high enough.
    /// </summary>
    public bool Accepts(JudgeVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.IntentPreserved && verdict.Answerable && verdict.DocumentDependent && verdict.Score >= options.MinJudgeScore;
    }

    /// <summary>The cited passages as the judge sees them: <c>[n] (Document i, section) "quote"</c>, one a line.</summary>
    internal static string RenderCitations(IReadOnlyList<ResponseCitation> citations, bool multi)
    {
        if (citations.Count == 0)
        {
            return "(none)";
        }

        return string.Join("\n", citations.Select((c, i) =>
        {
            var where = new List<string>(2);
            if (multi)
            {
                where.Add(string.Create(CultureInfo.InvariantCulture, $"Document {c.Document}"));
            }

            if (!string.IsNullOrWhiteSpace(c.Section))
            {
                where.Add(c.Section);
            }

            var label = where.Count == 0 ? string.Empty : $" ({string.Join(", ", where)})";
            return string.Create(CultureInfo.InvariantCulture, $"[{i + 1}]{label} \"{c.Quote}\"{(c.Verified ? string.Empty : " [not found verbatim]")}");
        }));
    }

    private static string? Check(JsonElement value)
    {
        var score = value.GetProperty("score");
        if (!score.TryGetInt32(out var s) || s is < 1 or > 5)
        {
            return "score must be an integer from 1 to 5";
        }

        return string.IsNullOrWhiteSpace(value.GetProperty("reason").GetString()) ? "reason must not be empty" : null;
    }
}
