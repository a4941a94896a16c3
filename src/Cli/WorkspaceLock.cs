using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace WildLong.Cli;

/// <summary>
/// One CLI process at a time owns a workspace (<c>.wildlong/</c>) and the Azurite it runs there: two processes on one
/// Azurite data folder overwrite each other's saved state, and a second command used to stop the first one's Azurite.
/// The lock is an exclusive OS lock on <c>{workspace}/wildlong.lock</c> (released by the OS when the process ends, so
/// a <c>kill -9</c> never leaves it held) plus <c>wildlong.lock.json</c> naming the holder — process id, command,
/// since when — so the second command can say who holds it. A holder file whose process is gone (a stale lock) is
/// taken over, and the caller is told.
/// </summary>
internal sealed class WorkspaceLock : IDisposable
{
    private const string LockFileName = "wildlong.lock";
    private const string HolderFileName = "wildlong.lock.json";

    private readonly FileStream handle;
    private readonly string holderFile;

    private WorkspaceLockHolder holder;

    private WorkspaceLock(FileStream handle, string holderFile, WorkspaceLockHolder holder, WorkspaceLockHolder? previous)
    {
        this.handle = handle;
        this.holderFile = holderFile;
        this.holder = holder;
        TakenOverFrom = previous;
    }

    /// <summary>The holder named in the lock file when it was acquired, whose process was gone (a stale lock), or null.</summary>
    public WorkspaceLockHolder? TakenOverFrom { get; }

    /// <summary>
    /// Takes the workspace's lock for <paramref name="command"/>. When another live process holds it: with
    /// <paramref name="wait"/> false, throws a <see cref="CliException"/> (<see cref="ExitCodes.WorkspaceBusy"/>) naming
    /// the holder; with <paramref name="wait"/> true, calls <paramref name="waiting"/> once with the holder and polls
    /// until it is free (or <paramref name="cancellationToken"/> stops the wait).
    /// </summary>
    public static async Task<WorkspaceLock> AcquireAsync(string workspace, string command, bool wait, Action<WorkspaceLockHolder?> waiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        Directory.CreateDirectory(workspace);
        var lockFile = Path.Combine(workspace, LockFileName);
        var holderFile = Path.Combine(workspace, HolderFileName);
        var announced = false;
        while (true)
        {
            if (TryOpen(lockFile) is { } handle)
            {
                var previous = ReadHolder(holderFile);
                var stale = previous is not null && previous.ProcessId != Environment.ProcessId && !IsAlive(previous) ? previous : null;
                var holder = new WorkspaceLockHolder(Environment.ProcessId, command, DateTimeOffset.UtcNow, Environment.MachineName);
                await WriteHolderAsync(holderFile, holder, cancellationToken);
                return new WorkspaceLock(handle, holderFile, holder, stale);
            }

            var current = ReadHolder(holderFile);
            if (!wait)
            {
                throw new CliException(ExitCodes.WorkspaceBusy, $"the workspace {workspace} is in use by {Describe(current)}; wait for it to finish, "
                    + "run this command with --wait-for-lock, or use another workspace (WildLong:Workspace)");
            }

            if (!announced)
            {
                announced = true;
                waiting(current);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    /// <summary>Names in the holder file where this holder's Azurite answers, for read-only commands (see <see cref="ReadLiveHolder"/>).</summary>
    public async Task PublishStorageAsync(Uri blob, Uri queue, Uri table, CancellationToken cancellationToken)
    {
        holder = holder with { BlobEndpoint = blob, QueueEndpoint = queue, TableEndpoint = table };
        await WriteHolderAsync(holderFile, holder, cancellationToken);
    }

    /// <summary>The holder of <paramref name="workspace"/>'s lock when it is a live process on this machine; null otherwise.</summary>
    public static WorkspaceLockHolder? ReadLiveHolder(string workspace)
        => ReadHolder(Path.Combine(workspace, HolderFileName)) is { } holder
            && string.Equals(holder.Machine, Environment.MachineName, StringComparison.Ordinal) && IsAlive(holder) ? holder : null;

    /// <summary>The holder in words: <c>pid 123 (wildlong run --sample) since 2026-12-02 09:40:12Z</c>.</summary>
    public static string Describe(WorkspaceLockHolder? holder) => holder is null
        ? "another wildlong process (it has not named itself yet)"
        : string.Create(CultureInfo.InvariantCulture, $"pid {holder.ProcessId} ({holder.Command}) since {holder.Since:yyyy-MM-dd HH:mm:ss}Z")
          + (string.Equals(holder.Machine, Environment.MachineName, StringComparison.Ordinal) ? string.Empty : $" on {holder.Machine}");

    /// <summary>Releases the lock: the holder file is removed first, so nobody reads a holder that has gone.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(holderFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A stale holder file is recognised as such by the next command.
        }

        handle.Dispose();
    }

    private static FileStream? TryOpen(string lockFile)
    {
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock on Unix, a share lock on Windows) that conflicts
            // with every other open of the file for locking, in this process or another, and ends with the process.
            return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task WriteHolderAsync(string holderFile, WorkspaceLockHolder holder, CancellationToken cancellationToken)
    {
        var temporary = holderFile + $".{Environment.ProcessId}.tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(holder), cancellationToken);
        File.Move(temporary, holderFile, overwrite: true);
    }

    private static WorkspaceLockHolder? ReadHolder(string holderFile)
    {
        try
        {
            return File.Exists(holderFile) ? JsonSerializer.Deserialize<WorkspaceLockHolder>(File.ReadAllText(holderFile)) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static bool IsAlive(WorkspaceLockHolder holder)
    {
        if (!string.Equals(holder.Machine, Environment.MachineName, StringComparison.Ordinal))
        {
            return true; // another machine's process cannot be checked from here
        }

        try
        {
            using var process = Process.GetProcessById(holder.ProcessId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
