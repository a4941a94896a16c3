using System.Globalization;
using Microsoft.Extensions.Options;
using WildLong.Core.Model;
using WildLong.Core.Prompts;

namespace WildLong.Core.Generation;

/// <summary>
/// Writes the assistant turn of a training pair: an answer to the adapted instruction from the full document(s),
/// grounded in passages it cites. The model lists verbatim quotes first and then answers with <c>[n]</c> markers
/// (structured output), so every answer can be checked against its document and the citations kept as metadata;
/// the training text itself is the answer with the markers stripped (or kept, by setting).
/// </summary>
public sealed class ResponseGenerator
{
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

    public async Task<StepResult<GroundedResponse>> GenerateAsync(PlannedPair plan, DocumentContext context, string instruction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(instruction);
        var count = context.Documents.Count;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["instruction"] = instruction,
            ["reference"] = count == 1 ? "the document" : "these documents",
            ["document_numbering"] = count == 1
                ? " (always 1 here)"
                : string.Create(CultureInfo.InvariantCulture, $" (1 to {count}, as labelled above: Document 1 … Document {count})"),
            ["multi_document_guidance"] = count == 1
                ? "Cite the passages that carry each point; a point that needs no passage needs no marker."
                : "When several documents are involved, say which document each point comes from (Document 1, Document 2, …) and cite passages from each document you use.",
        };
        var messages = context.ComposeMessages(Prompt, values);
        var seed = GenerationSeeds.ForCall(options.Seed, StageNames.ResponseGeneration, plan.Id);
        var texts = context.Documents.Select(d => d.Text).ToArray();
        var result = await llm.CompleteJsonAsync(StageNames.ResponseGeneration, messages, StructuredAnswer<GroundedAnswer>.Schema, "grounded_response",
            options.ResponseMaxOutputTokens, seed, StructuredAnswer<GroundedAnswer>.Check(answer => Check(answer, texts)), cancellationToken);
        if (!result.Success)
        {
            return StepResult<GroundedResponse>.Fail(result.FailureReason ?? "the model call failed", result.RawOutput);
        }

        return StepResult<GroundedResponse>.Ok(Read(StructuredAnswer<GroundedAnswer>.Read(result.Value), texts));
    }

    /// <summary>Reads a checked answer; each citation is marked verified when its quote occurs in its document.</summary>
    internal static GroundedResponse Read(GroundedAnswer answer, IReadOnlyList<string> documents)
    {
        var citations = new List<ResponseCitation>();
        foreach (var item in answer.Citations)
        {
            var quote = item.Quote.Trim();
            var verified = item.Document >= 1 && item.Document <= documents.Count && CitationMarkers.IsVerbatim(quote, documents[item.Document - 1]);
            citations.Add(new ResponseCitation(
                item.Document,
                string.IsNullOrWhiteSpace(item.Section) ? null : item.Section.Trim(),
                quote,
                verified));
        }

        return new GroundedResponse(answer.Answer.Trim(), citations);
    }

    /// <summary>
    /// Checks beyond the schema; the message goes back to the model on retry: a non-empty answer, citations that
    /// point at a supplied document and quote it verbatim. Bracketed numbers beyond the citations are not rejected:
    /// they may be the document's own reference numbers ("see [12]"), and stripping leaves them alone.
    /// </summary>
    internal static string? Check(GroundedAnswer answer, IReadOnlyList<string> documents)
    {
        if (string.IsNullOrWhiteSpace(answer.Answer))
        {
            return "the answer is empty";
        }

        var problems = new List<string>();
        var citations = answer.Citations;
        for (var i = 0; i < citations.Count; i++)
        {
            var n = i + 1;
            var document = citations[i].Document;
            if (document < 1 || document > documents.Count)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"citation {n} names document {document}, but there {(documents.Count == 1 ? "is 1 document" : $"are {documents.Count} documents")}"));
                continue;
            }

            var quote = citations[i].Quote;
            if (string.IsNullOrWhiteSpace(quote))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"citation {n} has an empty quote"));
            }
            else if (!CitationMarkers.IsVerbatim(quote, documents[document - 1]))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"the quote of citation {n} is not in document {document} word for word; copy it exactly"));
            }
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}
