using System.Globalization;
using Microsoft.Extensions.Options;
using WildLong.Core.Model;
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
        var result = await llm.CompleteJsonAsync(StageNames.QualityJudge, messages, StructuredAnswer<JudgeAnswer>.Schema, "quality_verdict",
            options.JudgeMaxOutputTokens, seed, StructuredAnswer<JudgeAnswer>.Check(Check), cancellationToken);
        if (!result.Success)
        {
            return StepResult<JudgeVerdict>.Fail(result.FailureReason ?? "the model call failed", result.RawOutput);
        }

        var answer = StructuredAnswer<JudgeAnswer>.Read(result.Value);
        return StepResult<JudgeVerdict>.Ok(new JudgeVerdict(
            answer.Answerable, answer.DocumentDependent, answer.Score, answer.Reason.Trim(), answer.IntentPreserved));
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

    private static string? Check(JudgeAnswer answer)
    {
        if (answer.Score is < 1 or > 5)
        {
            return "score must be an integer from 1 to 5";
        }

        return string.IsNullOrWhiteSpace(answer.Reason) ? "reason must not be empty" : null;
    }
}
