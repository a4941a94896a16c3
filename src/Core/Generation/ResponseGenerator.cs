using Microsoft.Extensions.Options;
using WildLong.Core.Llm;
using WildLong.Core.Prompts;

namespace WildLong.Core.Generation;

/// <summary>
/// Writes the assistant turn of a training pair: an answer to the adapted instruction from the full document(s).
/// Free text (not JSON), because the answer itself is the training target and must read like a real reply.
/// </summary>
public sealed class ResponseGenerator
{
    public const string StageName = "response-generation";
    public const string PromptName = "response-generation";

    private readonly LlmCaller llm;
    private readonly GenerationOptions options;

    public ResponseGenerator(LlmCaller llm, PromptLibrary prompts, IOptions<GenerationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        this.llm = llm ?? throw new ArgumentNullException(nameof(llm));
        this.options = options.Value;
        this.options.Validate();
        Prompt = prompts.Get(PromptName);
    }

    public PromptTemplate Prompt { get; }

    public async Task<StepResult<string>> GenerateAsync(PlannedPair plan, DocumentContext context, string instruction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(instruction);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["instruction"] = instruction,
            ["reference"] = context.Documents.Count == 1 ? "the document" : "these documents",
        };
        var messages = context.ComposeMessages(Prompt, values);
        var seed = GenerationSeeds.ForCall(options.Seed, StageName, plan.Id);
        var result = await llm.CompleteTextAsync(StageName, messages, options.ResponseMaxOutputTokens, seed, cancellationToken);
        return result.Success
            ? StepResult<string>.Ok(result.Text!)
            : StepResult<string>.Fail(result.FailureReason ?? "the model call failed", result.RawOutput);
    }
}
