namespace WildLong.Storage.Blobs;

/// <summary>
/// A blob by container and name: what orchestrations pass between activities instead of the data itself, so
/// messages stay small whatever the size of a shard, a document or a batch of pairs.
/// </summary>
public sealed record BlobRef(string Container, string Name)
{
    public override string ToString() => $"{Container}/{Name}";
}
