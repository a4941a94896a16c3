using System.Globalization;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Model;
using WildLong.Core.Prompts;

namespace WildLong.Core.Generation;

/// <summary>
/// Rewrites an agnostic instruction so it is grounded in the paired document(s): WildLong's adaptation step, which
/// turns a plausible request into one that is answerable from this context (and, for multi-document tasks, needs
/// all of it). The model first says whether the instruction fits at all (reason first, then <c>fits</c>); a misfit
/// comes back as such so the caller re-pairs instead of accepting a changed task.
/// </summary>
public sealed class InstructionAdapter
{
    public const string PromptName = "instruction-adaptation";

    private readonly LlmCaller llm;
    private readonly GenerationOptions options;
    private readonly DocumentTaxonomy taxonomy;

    /// <summary>The taxonomy gives each type's plural noun, accepted like "these documents"; the built-in one when not given.</summary>
    public InstructionAdapter(LlmCaller llm, PromptLibrary prompts, IOptions<GenerationOptions> options, DocumentTaxonomy? taxonomy = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        this.llm = llm ?? throw new ArgumentNullException(nameof(llm));
        this.options = options.Value;
        this.options.Validate();
        this.taxonomy = taxonomy ?? DocumentTaxonomy.Default;
        Prompt = prompts.Get(PromptName);
    }

    public PromptTemplate Prompt { get; }

    public async Task<StepResult<AdaptedInstruction>> AdaptAsync(PlannedPair plan, DocumentContext context, CancellationToken cancellationToken)
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
        var plural = taxonomy.NounFor(plan.Instruction.DocumentType).Plural;
        var messages = context.ComposeMessages(Prompt, values);
        var seed = GenerationSeeds.ForCall(options.Seed, StageNames.InstructionAdaptation, plan.Id);
        var result = await llm.CompleteJsonAsync(StageNames.InstructionAdaptation, messages, StructuredAnswer<AdaptationAnswer>.Schema, "adapted_instruction",
            options.AdaptationMaxOutputTokens, seed, StructuredAnswer<AdaptationAnswer>.Check(answer => Check(answer, count, plural)), cancellationToken);
        if (!result.Success)
        {
            return StepResult<AdaptedInstruction>.Fail(result.FailureReason ?? "the model call failed", result.RawOutput);
        }

        var answer = StructuredAnswer<AdaptationAnswer>.Read(result.Value);
        return StepResult<AdaptedInstruction>.Ok(new AdaptedInstruction(
            answer.Fits, answer.Reason.Trim(), answer.Fits ? answer.Instruction.Trim() : string.Empty));
    }

    /// <summary>Checks beyond the schema; the message goes back to the model on retry.</summary>
    internal string? Check(AdaptationAnswer answer, int documentCount, string pluralNoun)
    {
        if (string.IsNullOrWhiteSpace(answer.Reason))
        {
            return "the reason is empty; say in one sentence why the request fits or does not fit";
        }

        if (!answer.Fits)
        {
            return null;
        }

        var text = answer.Instruction.Trim();
        if (text.Length == 0)
        {
            return "the adapted instruction is empty; when the request fits, write the adapted request";
        }

        if (text.Length > options.MaxAdaptedInstructionCharacters)
        {
            return $"the adapted instruction has {text.Length} characters; keep it under {options.MaxAdaptedInstructionCharacters}";
        }

        if (documentCount > 1 && !NamesAllDocuments(text, documentCount, pluralNoun))
        {
            return $"the adapted instruction must refer to all {documentCount} documents: name each as \"Document 1\" … \"Document {documentCount}\", or all together as \"these documents\"";
        }

        return null;
    }

    /// <summary>The multi-document convention: "these documents" (or the type's plural noun), or every "Document i" named.</summary>
    internal static bool NamesAllDocuments(string text, int documentCount, string pluralNoun)
        => text.Contains("documents", StringComparison.OrdinalIgnoreCase)
            || (pluralNoun.Length > 0 && text.Contains(pluralNoun, StringComparison.OrdinalIgnoreCase))
            || Enumerable.Range(1, documentCount).All(i => text.Contains(string.Create(CultureInfo.InvariantCulture, $"Document {i}"), StringComparison.OrdinalIgnoreCase));

    private static string MultiDocumentRule(TaskKind kind, int count)
    {
        var names = string.Join(", ", Enumerable.Range(1, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"\"Document {i}\"")));
        var convention = string.Create(CultureInfo.InvariantCulture,
            $"- Refer to the documents by their labels above and name every one of them ({names}), or refer to all of them together as \"these documents\"; a request that names only some of the {count} documents is rejected.");
        return kind switch
        {
            TaskKind.Comparison => string.Create(CultureInfo.InvariantCulture,
                $"- This is a comparison across all {count} documents (Document 1 … Document {count}): the request must require information from every one of them and ask how they relate, differ or agree.\n{convention}"),
            TaskKind.Aggregation => string.Create(CultureInfo.InvariantCulture,
                $"- This task combines information from all {count} documents (Document 1 … Document {count}): the request must require content from every one of them to be answered completely.\n{convention}"),
            _ => "- The request concerns this single document only.",
        };
    }
}
