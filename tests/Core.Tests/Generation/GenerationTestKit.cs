using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Instructions;
using WildLong.Core.Model;
using WildLong.Core.Prompts;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Generation;

/// <summary>Builders shared by the stage-2 tests: real sample documents, instructions and wired-up stages.</summary>
internal static class GenerationTestKit
{
    private static readonly Lazy<IReadOnlyList<LongDocument>> SampleDocuments = new(LoadSampleDocuments);

    public static IReadOnlyList<LongDocument> Documents => SampleDocuments.Value;

    public static LongDocument Document(string id) => Documents.Single(d => d.Id == id);

    public static AgnosticInstruction Instruction(string documentType, long index, TaskKind kind = TaskKind.SingleDocument, string? text = null)
        => new(
            $"{documentType}|task=summarize|n={index}",
            documentType,
            index,
            kind,
            text ?? (kind == TaskKind.SingleDocument ? "Summarize the key obligations in the document." : "Compare the obligations in these documents."),
            [new PathStep("task", "summarize"), new PathStep("n", index.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            "instruction-writing@3");

    public static IndexedDocument Indexed(LongDocument document, string? type = null, string bucket = "short")
        => new(document.Id, document.Title, type ?? document.DocTypeHint ?? "other", TokenCounter.Shared.Count(document.Text), bucket);

    public static PlannedPair Plan(AgnosticInstruction instruction, params LongDocument[] documents)
        => new(instruction, instruction.TaskKind, [.. documents.Select(d => Indexed(d, instruction.DocumentType))], null, false);

    public static PairGenerator Generator(IChatClient chat, GenerationOptions? options = null, int maxStructuredAttempts = 3)
    {
        var llm = TestLlm.Caller(chat, maxStructuredAttempts);
        var wrapped = Options.Create(options ?? new GenerationOptions());
        return new PairGenerator(
            new InstructionAdapter(llm, PromptLibrary.Default, wrapped),
            new ResponseGenerator(llm, PromptLibrary.Default, wrapped),
            new QualityJudge(llm, PromptLibrary.Default, wrapped),
            wrapped,
            Options.Create(new LlmCallOptions { ModelId = "test-model" }),
            NullLogger<PairGenerator>.Instance);
    }

    /// <summary>The JSON schema name of a structured request, or null for a free-text request.</summary>
    public static string? SchemaName(ChatOptions? options) => (options?.ResponseFormat as ChatResponseFormatJson)?.SchemaName;

    /// <summary>
    /// A well-behaved model: adapts by prefixing "For these documents:" / "For the document:" (the instruction always
    /// fits), answers "Answer: &lt;request&gt; [1]" citing the opening words of each document verbatim, and passes
    /// every pair with score 5 unless <paramref name="verdict"/> says otherwise.
    /// </summary>
    public static ScriptedChatClient Model(Func<string, string?>? verdict = null)
        => ScriptedChatClient.FromText((messages, options) => Answer(messages, options, verdict));

    /// <summary>The answer of <see cref="Model"/> to one request.</summary>
    public static string Answer(IReadOnlyList<ChatMessage> messages, ChatOptions? options, Func<string, string?>? verdict = null)
    {
        var last = messages[^1].Text;
        switch (SchemaName(options))
        {
            case "adapted_instruction":
                var request = Between(last, "Generic request:\n", "\n\nAdapt this request");
                var prefix = messages[0].Text.StartsWith("Document 1:", StringComparison.Ordinal) ? "For these documents: " : "For the document: ";
                return JsonSerializer.Serialize(new { reason = "The document supports the request.", fits = true, instruction = prefix + request });
            case "quality_verdict":
                var instruction = Between(last, "Adapted request:\n<<<\n", "\n>>>");
                return verdict?.Invoke(instruction) ?? Verdict(true, true, true, 5, "Grounded and complete.");
            case "grounded_response":
                var citations = OpeningWords(messages[0].Text).Select((quote, i) => new { document = i + 1, section = (string?)null, quote }).ToList();
                return JsonSerializer.Serialize(new { citations, answer = "Answer: " + last + " [1]" });
            default:
                return "Answer: " + last;
        }
    }

    /// <summary>A judge verdict in the schema's order (reason first).</summary>
    public static string Verdict(bool intentPreserved, bool answerable, bool documentDependent, int score, string reason)
        => JsonSerializer.Serialize(new { reason, intent_preserved = intentPreserved, answerable, document_dependent = documentDependent, score });

    /// <summary>The first eight words of each document of a rendered context (verbatim, so they verify as quotes).</summary>
    public static IReadOnlyList<string> OpeningWords(string context)
        => [.. System.Text.RegularExpressions.Regex.Matches(context, @"^Document(?: \d+)?: [^\n]*\n\n", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(header => string.Join(' ', context[(header.Index + header.Length)..].Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Take(8)))];

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return text[from..to];
    }

    private static List<LongDocument> LoadSampleDocuments()
    {
        var documents = new List<LongDocument>();
        foreach (var line in File.ReadLines(TestData.DocumentsJsonl))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            documents.Add(new LongDocument(
                root.GetProperty("id").GetString()!,
                root.GetProperty("title").GetString()!,
                root.GetProperty("text").GetString()!,
                root.GetProperty("source").GetString()!,
                root.GetProperty("doc_type_hint").GetString()));
        }

        return documents;
    }
}
