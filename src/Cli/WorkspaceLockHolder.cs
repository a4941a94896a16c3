namespace WildLong.Cli;

/// <summary>Who holds a workspace's lock, as written beside it: enough for a second command to say who is in its way.</summary>
internal sealed record WorkspaceLockHolder(int ProcessId, string Command, DateTimeOffset Since, string Machine);
