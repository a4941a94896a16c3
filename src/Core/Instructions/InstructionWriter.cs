using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Model;
using WildLong.Core.Prompts;

namespace WildLong.Core.Instructions;

/// <summary>
/// Turns sampled graph paths into document-agnostic user requests (WildLong's instruction synthesis). The model
/// writes the wording; this stage decides single vs multi-document form up front, validates the answer, and
/// quarantines paths the model could not turn into a usable request.
/// </summary>
public sealed partial class InstructionWriter
{
    public const string PromptName = "instruction-writing";


    private readonly LlmCaller llm;
    private readonly PromptTemplate prompt;
    private readonly GenerationOptions options;
    private readonly ILogger<InstructionWriter> logger;

    private readonly DocumentTaxonomy taxonomy;

    /// <summary>The taxonomy gives each type's noun ("the contract"); the built-in one when not given.</summary>
    public InstructionWriter(LlmCaller llm, PromptLibrary prompts, IOptions<GenerationOptions> options, ILogger<InstructionWriter> logger, DocumentTaxonomy? taxonomy = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        this.llm = llm ?? throw new ArgumentNullException(nameof(llm));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.options = options.Value;
        this.options.Validate();
        this.taxonomy = taxonomy ?? DocumentTaxonomy.Default;
        prompt = prompts.Get(PromptName);
    }

    public PromptTemplate Prompt => prompt;

    public async Task<BatchResult<AgnosticInstruction>> WriteAsync(IReadOnlyList<InstructionPath> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var items = new List<AgnosticInstruction>(batch.Count);
        var quarantined = new List<QuarantineEntry>();
        foreach (var path in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = $"{path.DocumentType}#{path.Index}";
            if (path.Steps.Count == 0)
            {
                quarantined.Add(QuarantineEntry.ForItem(StageNames.InstructionWriting, id, "the path has no steps"));
                continue;
            }

            var kind = path.PlannedKind ?? TaskKindPlanner.Plan(options, path.DocumentType, path.Index);
            var noun = taxonomy.NounFor(path.DocumentType);
            var values = RenderValues(path, kind, noun);
            ChatMessage[] messages =
            [
                new(ChatRole.System, prompt.RenderSystem(values)),
                new(ChatRole.User, prompt.RenderUser(values)),
            ];
            var seed = GenerationSeeds.ForCall(options.Seed, StageNames.InstructionWriting, path.Key + "#" + path.Index);
            var result = await llm.CompleteJsonAsync(StageNames.InstructionWriting, messages, StructuredAnswer<InstructionAnswer>.Schema, "instruction",
                options.InstructionWritingMaxOutputTokens, seed, StructuredAnswer<InstructionAnswer>.Check(answer => Check(answer, kind, noun)), cancellationToken);
            if (!result.Success)
            {
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    logger.LogDebug("Instruction for path {PathId} quarantined: {Reason}", id, result.FailureReason);
                }

                quarantined.Add(QuarantineEntry.ForItem(StageNames.InstructionWriting, id, result.FailureReason ?? "the model call failed", result.RawOutput));
                continue;
            }

            var text = StructuredAnswer<InstructionAnswer>.Read(result.Value).Instruction.Trim();
            items.Add(new AgnosticInstruction(path.Key, path.DocumentType, path.Index, kind, text, path.Steps, prompt.Id));
        }

        return new BatchResult<AgnosticInstruction>(items, quarantined);
    }

    /// <summary>
    /// The prompt's values: the task steps apart from the optional attributes (the writer uses a few of those, not
    /// all), the type's own noun as the reference, real users' words beside the values that have them, and the
    /// path's real request excerpts as style examples.
    /// </summary>
    internal Dictionary<string, string> RenderValues(InstructionPath path, TaskKind kind, (string Singular, string Plural) noun)
    {
        var task = path.Steps.Where(s => s.Field == options.InstructionTaskField).ToList();
        var others = path.Steps.Where(s => s.Field != options.InstructionTaskField).ToList();
        if (task.Count == 0)
        {
            // No task on the path: the first step stands in for it, so the request still has one core.
            task = [path.Steps[0]];
            others = [.. path.Steps.Skip(1)];
        }

        var examples = path.Examples ?? [];
        var details = (path.Details ?? []).ToDictionary(d => (d.Field, d.Value), d => d.Detail);
        string WordsFor(PathStep step) => details.TryGetValue((step.Field, step.Value), out var detail) ? $" (a user's words: \"{detail}\")" : string.Empty;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["document_type"] = path.DocumentType.Replace('_', ' '),
            ["task_form"] = DescribeTaskForm(kind),
            ["noun"] = kind == TaskKind.SingleDocument ? noun.Singular : noun.Plural,
            ["reference"] = kind == TaskKind.SingleDocument ? "the " + noun.Singular : "these " + noun.Plural,
            ["task"] = string.Join("\n", task.Select(s => $"- {s.Value}{WordsFor(s)}")),
            ["attributes"] = others.Count == 0 ? "(none)" : string.Join("\n", others.Select(s => $"- {s.Field.Replace('_', ' ')}: {s.Value}{WordsFor(s)}")),
            ["examples"] = examples.Count == 0 ? "(none available)" : string.Join("\n", examples.Select(e => $"- \"{e}\"")),
        };
    }

    /// <summary>Checks beyond the schema; the message goes back to the model on retry.</summary>
    internal string? Check(InstructionAnswer answer, TaskKind kind, (string Singular, string Plural) noun)
    {
        var text = answer.Instruction.Trim();
        if (text.Length == 0)
        {
            return "the instruction is empty";
        }

        if (text.Length > options.MaxInstructionCharacters)
        {
            return $"the instruction has {text.Length} characters; keep it under {options.MaxInstructionCharacters}";
        }

        if (kind == TaskKind.SingleDocument)
        {
            return DocumentWord().IsMatch(text) || ContainsWord(text, noun.Singular)
                ? null
                : $"the instruction must refer to the text it is about as \"the {noun.Singular}\"";
        }

        return DocumentsWord().IsMatch(text) || ContainsWord(text, noun.Plural)
            ? null
            : $"the instruction must refer to the texts it is about as \"these {noun.Plural}\" (several {noun.Plural})";
    }

    private static bool ContainsWord(string text, string phrase)
        => Regex.IsMatch(text, @"\b" + Regex.Escape(phrase) + @"\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static string DescribeTaskForm(TaskKind kind) => kind switch
    {
        TaskKind.Comparison => "a request that compares several documents of this type with each other (similarities, differences, which is better for a purpose)",
        TaskKind.Aggregation => "a request that combines information spread across several documents of this type into one answer (summary, table, timeline, totals)",
        _ => "a request about one document of this type",
    };

    [GeneratedRegex(@"\bdocuments?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DocumentWord();

    [GeneratedRegex(@"\bdocuments\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DocumentsWord();
}
