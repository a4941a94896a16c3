using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using WildLong.Core.Documents;
using WildLong.Core.Prompts;

namespace WildLong.Core.Generation;

/// <summary>
/// The one rendering of "the document(s)" used by every prompt and by the training record. Rendering in one place
/// guarantees the document part is byte-identical in adaptation, answer and judge calls, and it always comes first,
/// so a provider's prompt cache can reuse the (long) prefix across all calls about the same document(s).
/// </summary>
public sealed class DocumentContext
{
    private DocumentContext(IReadOnlyList<LongDocument> documents, string text)
    {
        Documents = documents;
        Text = text;
    }

    public IReadOnlyList<LongDocument> Documents { get; }

    public IReadOnlyList<string> DocumentIds => [.. Documents.Select(d => d.Id)];

    /// <summary>The rendered document part: a header line per document, then its text.</summary>
    public string Text { get; }

    /// <summary>
    /// Renders one document as <c>Document: title</c>, or several as <c>Document 1: title</c>, <c>Document 2: …</c>,
    /// each followed by its text and an end marker.
    /// </summary>
    public static DocumentContext For(IReadOnlyList<LongDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
        {
            throw new ArgumentException("a document context needs at least one document", nameof(documents));
        }

        var builder = new StringBuilder();
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i];
            var label = documents.Count == 1 ? "Document" : string.Create(CultureInfo.InvariantCulture, $"Document {i + 1}");
            var title = string.IsNullOrWhiteSpace(document.Title) ? document.Id : document.Title.Trim();
            if (i > 0)
            {
                builder.Append("\n\n");
            }

            builder.Append(label).Append(": ").Append(title).Append("\n\n")
                .Append(document.Text.TrimEnd())
                .Append("\n\n[End of ").Append(label).Append(']');
        }

        return new DocumentContext(documents, builder.ToString());
    }

    public static DocumentContext For(LongDocument document) => For([document]);

    /// <summary>
    /// The messages of one stage call: the document context first (a user message, identical in every call about
    /// these documents), then the stage's system instructions and its user part.
    /// </summary>
    public IList<ChatMessage> ComposeMessages(PromptTemplate template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        var messages = new List<ChatMessage>(3) { new(ChatRole.User, Text) };
        var system = template.RenderSystem(values);
        if (!string.IsNullOrWhiteSpace(system))
        {
            messages.Add(new ChatMessage(ChatRole.System, system));
        }

        messages.Add(new ChatMessage(ChatRole.User, template.RenderUser(values)));
        return messages;
    }

    /// <summary>
    /// The user turn of a training record: the documents, then the request, or (<see cref="InstructionPosition.BeforeDocuments"/>)
    /// the request, then the documents. Only the training record's layout varies; model calls always send the
    /// documents first (<see cref="ComposeMessages"/>) so their prompt-cache prefix stays shared.
    /// </summary>
    public string ComposeUserTurn(string instruction, InstructionPosition position = InstructionPosition.AfterDocuments)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        return position == InstructionPosition.BeforeDocuments
            ? instruction + "\n\n" + Text
            : Text + "\n\n" + instruction;
    }

    /// <summary>
    /// The position of one record's request: before the documents in <paramref name="beforeShare"/> of records, by
    /// a hash of (seed, record id), so it never depends on batch order and reruns agree.
    /// </summary>
    public static InstructionPosition PositionFor(ulong seed, string recordId, double beforeShare)
    {
        ArgumentNullException.ThrowIfNull(recordId);
        return GenerationSeeds.Random(seed, "instruction-position", recordId, 0).NextDouble() < beforeShare
            ? InstructionPosition.BeforeDocuments
            : InstructionPosition.AfterDocuments;
    }
}
