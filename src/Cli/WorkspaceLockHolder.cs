namespace WildLong.Cli;

/// <summary>
/// Who holds a workspace's lock, as written beside it: enough for a second command to say who is in its way, and —
/// once the holder's Azurite is up — where that Azurite answers (endpoints only; its account is the public development
/// one), so a read-only command (<c>status</c>, <c>graph export</c>) can read the holder's storage instead of waiting.
/// </summary>
internal sealed record WorkspaceLockHolder(int ProcessId, string Command, DateTimeOffset Since, string Machine,
    Uri? BlobEndpoint = null, Uri? QueueEndpoint = null, Uri? TableEndpoint = null);
