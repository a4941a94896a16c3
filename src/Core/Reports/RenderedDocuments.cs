using System.Globalization;
using WildLong.Core.Generation;

namespace WildLong.Core.Reports;

/// <summary>
/// The document texts of a training record's user turn, read back from the layout <see cref="DocumentContext"/>
/// renders (<c>Document: title</c> or <c>Document n: title</c>, a blank line, the text, a blank line and
/// <c>[End of Document n]</c>; the request before or after the documents), so grounding can be checked from the
/// dataset alone. Returns null when the turn does not have that layout.
/// </summary>
public static class RenderedDocuments
{
    public static IReadOnlyList<string>? Split(TrainingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var user = record.Messages.FirstOrDefault(m => m.Role == TrainingMessage.UserRole)?.Content;
        var count = record.Meta.DocumentIds.Count;
        if (user is null || count == 0)
        {
            return null;
        }

        var instruction = record.Meta.Instruction;
        var text = record.Meta.InstructionPosition == InstructionPosition.BeforeDocuments
            ? (user.StartsWith(instruction + "\n\n", StringComparison.Ordinal) ? user[(instruction.Length + 2)..] : null)
            : (user.EndsWith("\n\n" + instruction, StringComparison.Ordinal) ? user[..^(instruction.Length + 2)] : null);
        if (text is null)
        {
            return null;
        }

        var documents = new List<string>(count);
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            var label = count == 1 ? "Document" : string.Create(CultureInfo.InvariantCulture, $"Document {i + 1}");
            if (string.CompareOrdinal(text, position, label + ": ", 0, label.Length + 2) != 0)
            {
                return null;
            }

            var bodyStart = text.IndexOf("\n\n", position, StringComparison.Ordinal);
            var end = text.IndexOf("\n\n[End of " + label + "]", position, StringComparison.Ordinal);
            if (bodyStart < 0 || end < 0 || end < bodyStart)
            {
                return null;
            }

            documents.Add(text[(bodyStart + 2)..end]);
            position = end + label.Length + 11;
            if (i < count - 1)
            {
                if (string.CompareOrdinal(text, position, "\n\n", 0, 2) != 0)
                {
                    return null;
                }

                position += 2;
            }
        }

        return documents;
    }
}
