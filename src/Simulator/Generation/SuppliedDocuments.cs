using System.Globalization;
using System.Text.RegularExpressions;

namespace WildLong.Simulator.Generation;

/// <summary>
/// The documents a request supplies, cut out of its longest message: sections labelled <c>Document 1: …</c> …
/// <c>[End of Document 1]</c> (WildLong's rendering of several documents), one <c>Document: …</c> section, or else
/// the whole message as one document. Simulated citations quote these texts verbatim and name their number.
/// </summary>
internal static partial class SuppliedDocuments
{
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var headers = Header().Matches(text);
        if (headers.Count == 0)
        {
            return [text];
        }

        var documents = new List<string>(headers.Count);
        for (var i = 0; i < headers.Count; i++)
        {
            var start = headers[i].Index + headers[i].Length;
            var end = i + 1 < headers.Count ? headers[i + 1].Index : text.Length;
            var body = text[start..end];
            var label = headers[i].Groups[1].Success
                ? string.Create(CultureInfo.InvariantCulture, $"[End of Document {headers[i].Groups[1].Value}]")
                : "[End of Document]";
            var close = body.LastIndexOf(label, StringComparison.Ordinal);
            documents.Add(close >= 0 ? body[..close] : body);
        }

        return documents;
    }

    [GeneratedRegex(@"^Document(?: (\d+))?: [^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex Header();
}
