namespace WildLong.Core.Common;

/// <summary>
/// A read-only stream that first returns bytes already read from <paramref name="inner"/> (a sniffed header) and then
/// the rest of it, so a format can be detected on streams that cannot seek (blob downloads, gzip).
/// </summary>
internal sealed class PrefixedReadStream(byte[] prefix, int prefixLength, Stream inner) : Stream
{
    private int offset;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (offset < prefixLength)
        {
            var n = Math.Min(buffer.Length, prefixLength - offset);
            prefix.AsSpan(offset, n).CopyTo(buffer);
            offset += n;
            return n;
        }

        return inner.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (offset < prefixLength)
        {
            var n = Math.Min(buffer.Length, prefixLength - offset);
            prefix.AsMemory(offset, n).CopyTo(buffer);
            offset += n;
            return n;
        }

        return await inner.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
