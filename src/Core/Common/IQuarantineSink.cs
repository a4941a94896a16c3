namespace WildLong.Core.Common;

/// <summary>Where rejected records go, so that nothing is silently dropped.</summary>
public interface IQuarantineSink
{
    ValueTask AddAsync(QuarantineEntry entry, CancellationToken cancellationToken = default);
}
