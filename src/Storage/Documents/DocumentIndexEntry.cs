using WildLong.Core.Documents;

namespace WildLong.Storage.Documents;

/// <summary>
/// One row of the document index: what pairing needs about a document, plus where its text lives (blob name) and a
/// hash of that text, so generation reads the text only for the documents it pairs and can tell a changed document.
/// </summary>
public sealed record DocumentIndexEntry(IndexedDocument Document, string TextBlob, string ContentHash);
