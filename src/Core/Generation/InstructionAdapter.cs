using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WildLong.Core.Instructions;
using WildLong.Core.Llm;
using WildLong.Core.Prompts;

namespace WildLong.Core.Generation;

/// <summary>
/// Rewrites an agnostic instruction so it is grounded in the paired document(s): WildLong's adaptation step, which
/// turns a plausible request into one that is answerable from this context (and, for multi-document tasks, needs
/// all of it).
/// </summary>
public sealed class InstructionAdapter
{
    public const string StageName = "instruction-adaptation";
    public const string PromptName = "instruction-adaptation";

    private static readonly JsonElement Schema = InstructionAnswerSchema.Schema;

    private readonly LlmCaller llm;
    private readonly GenerationOptions options;

    public InstructionAdapter(LlmCaller llm, PromptLibrary prompts, IOptions<GenerationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        this.llm = llm ?? throw new ArgumentNullException(nameof(llm));
        this.options = options.Value;
        this.options.Validate();
        Prompt = prompts.Get(PromptName);
    }

    public PromptTemplate Prompt { get; }

    public async Task<StepResult<string>> AdaptAsync(PlannedPair plan, DocumentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        var count = context.Documents.Count;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["instruction"] = plan.Instruction.Text,
            ["reference"] = count == 1 ? "the document" : "these documents",
            ["multi_document_rule"] = MultiDocumentRule(plan.TaskKind, count),
        };
        var messages = context.ComposeMessages(Prompt, values);
        var seed = GenerationSeeds.ForCall(options.Seed, StageName, plan.Id);
        var result = await llm.CompleteJsonAsync(StageName, messages, Schema, "adapted_instruction", options.AdaptationMaxOutputTokens,
            seed, value => Check(value, count), cancellationToken);
        return result.Success
            ? StepResult<string>.Ok(result.Value.GetProperty("instruction").GetString()!.Trim())
            : StepResult<string>.Fail(result.FailureReason ?? "the model call failed", result.RawOutput);
    }

    private string? Check(JsonElement value, int documentCount)
    {
        var text = value.GetProperty("instruction").GetString()?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return "the adapted instruction is empty";
        }

        if (text.Length > options.MaxAdaptedInstructionCharacters)
        {
            return $"the adapted instruction has {text.Length} characters; keep it under {options.MaxAdaptedInstructionCharacters}";
        }

        if (documentCount > 1 && !text.Contains("documents", StringComparison.OrdinalIgnoreCase)
            && !Enumerable.Range(1, documentCount).All(i => text.Contains(string.Create(CultureInfo.InvariantCulture, $"Document {i}"), StringComparison.OrdinalIgnoreCase)))
        {
            return $"the adapted instruction must refer to all {documentCount} documents (as \"these documents\" or \"Document 1\" … \"Document {documentCount}\")";
        }

        return null;
    }

    private static string MultiDocumentRule(TaskKind kind, int count) => kind switch
    {
        TaskKind.Comparison => string.Create(CultureInfo.InvariantCulture,
            $"- This is a comparison across all {count} documents (Document 1 … Document {count}): the request must require information from every one of them and ask how they relate, differ or agree."),
        TaskKind.Aggregation => string.Create(CultureInfo.InvariantCulture,
            $"- This task combines information from all {count} documents (Document 1 … Document {count}): the request must require content from every one of them to be answered completely."),
        _ => "- The request concerns this single document only.",
    };
}
