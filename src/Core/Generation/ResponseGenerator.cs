using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WildLong.Core.Llm;
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

    /// <summary>The answer's schema: citations (document, section, quote) first, then the answer that refers to them.</summary>
    internal static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "citations": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "document": { "type": "integer" },
                  "section": { "type": ["string", "null"] },
                  "quote": { "type": "string" }
                },
                "required": ["document", "section", "quote"],
                "additionalProperties": false
              }
            },
            "answer": { "type": "string" }
          },
          "required": ["citations", "answer"],
          "additionalProperties": false
        }
        """).RootElement.Clone();

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
        var result = await llm.CompleteJsonAsync(StageNames.ResponseGeneration, messages, Schema, "grounded_response", options.ResponseMaxOutputTokens,
            seed, value => Check(value, texts), cancellationToken);
        if (!result.Success)
        {
            return StepResult<GroundedResponse>.Fail(result.FailureReason ?? "the model call failed", result.RawOutput);
        }

        return StepResult<GroundedResponse>.Ok(Read(result.Value, texts));
    }

    /// <summary>Reads a checked answer; each citation is marked verified when its quote occurs in its document.</summary>
    internal static GroundedResponse Read(JsonElement value, IReadOnlyList<string> documents)
    {
        var citations = new List<ResponseCitation>();
        foreach (var item in value.GetProperty("citations").EnumerateArray())
        {
            var document = item.GetProperty("document").GetInt32();
            var section = item.GetProperty("section");
            var quote = item.GetProperty("quote").GetString()!.Trim();
            var verified = document >= 1 && document <= documents.Count && CitationMarkers.IsVerbatim(quote, documents[document - 1]);
            citations.Add(new ResponseCitation(
                document,
                section.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(section.GetString()) ? section.GetString()!.Trim() : null,
                quote,
                verified));
        }

        return new GroundedResponse(value.GetProperty("answer").GetString()!.Trim(), citations);
    }

    /// <summary>
    /// Checks beyond the schema; the message goes back to the model on retry: a non-empty answer, citations that
    /// point at a supplied document and quote it verbatim. Bracketed numbers beyond the citations are not rejected:
    /// they may be the document's own reference numbers ("see [12]"), and stripping leaves them alone.
    /// </summary>
    internal static string? Check(JsonElement value, IReadOnlyList<string> documents)
    {
        var answer = value.GetProperty("answer").GetString() ?? string.Empty;
        if (string.IsNullOrWhiteSpace(answer))
        {
            return "the answer is empty";
        }

        var problems = new List<string>();
        var citations = value.GetProperty("citations").EnumerateArray().ToList();
        for (var i = 0; i < citations.Count; i++)
        {
            var n = i + 1;
            if (!citations[i].GetProperty("document").TryGetInt32(out var document) || document < 1 || document > documents.Count)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"citation {n} names document {citations[i].GetProperty("document")}, but there {(documents.Count == 1 ? "is 1 document" : $"are {documents.Count} documents")}"));
                continue;
            }

            var quote = citations[i].GetProperty("quote").GetString() ?? string.Empty;
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
