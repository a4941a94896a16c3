namespace WildLong.Core.Documents;

/// <summary>
/// What pairing needs to know about a document without rereading it: its type, size and length bucket.
/// </summary>
public sealed record IndexedDocument(string Id, string Title, string DocumentType, int Tokens, string LengthBucket)
{
    /// <summary>Shorter than the smallest length bucket: usable only as one part of a multi-document task.</summary>
    public bool IsPartOnly => LengthBucket == LengthBuckets.PartOnlyLabel;
}
