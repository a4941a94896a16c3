namespace WildLong.Llm.Quota;

/// <summary>One worker process in a deployment's quota pool, as last written by its own heartbeat.</summary>
/// <param name="Member">The worker's id (host, process id and a random part: unique per process start).</param>
/// <param name="LastSeen">When its last heartbeat was written.</param>
public sealed record QuotaShareMember(string Member, DateTimeOffset LastSeen);
