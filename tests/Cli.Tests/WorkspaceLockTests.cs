using System.Diagnostics;
using System.Text.Json;
using WildLong.Development.Azurite;

namespace WildLong.Cli.Tests;

/// <summary>
/// One CLI process owns a workspace at a time: a second command names the holder in one line and exits 6 (before it
/// starts any Azurite, so it can never stop the holder's), or waits with <c>--wait-for-lock</c>; a lock whose holder
/// is gone is taken over; a read-only command (status, graph export) reads the holder's Azurite once the holder has
/// named it. Also: the workspace keeps only its newest log files.
/// </summary>
[Collection("console")]
public sealed class WorkspaceLockTests : IDisposable
{
    private readonly string temp = Path.Combine(Path.GetTempPath(), "wildlong-cli-lock", Guid.NewGuid().ToString("N"));

    public WorkspaceLockTests() => Directory.CreateDirectory(temp);

    private string Workspace => Path.Combine(temp, "workspace");

    [Theory]
    [InlineData("status")]
    [InlineData("run --sample --pairs 2")]
    [InlineData("graph export --list")]
    public async Task A_second_command_on_a_held_workspace_names_the_holder_in_one_line_exits_6_and_starts_nothing(string command)
    {
        using var holder = await WorkspaceLock.AcquireAsync(Workspace, "wildlong run --queries big.jsonl", wait: false, _ => { }, CancellationToken.None);
        var config = WriteConfig();

        string[] output0 = command.StartsWith("run", StringComparison.Ordinal) ? ["--out", Path.Combine(temp, "out")] : [];
        // The holder keeps the lock for the whole test: a command that waited for it would never end, so a generous
        // deadline on the call (a wait, not a timing assertion) shows it did not wait.
        var (code, output) = await CliInvoker.InvokeAsync([.. command.Split(' '), .. output0, "--config", config]).WaitAsync(TimeSpan.FromMinutes(2));

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(code == 6, $"exit {code}: {output}");
        Assert.True(lines.Length == 1, output);
        Assert.StartsWith($"error: the workspace {Workspace} is in use by pid {Environment.ProcessId} (wildlong run --queries big.jsonl) since ", lines[0], StringComparison.Ordinal);
        Assert.Contains("--wait-for-lock", lines[0], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Workspace, "azurite")), "an Azurite was started on a workspace another process holds");
    }

    [Trait(TestCategories.Name, TestCategories.Azurite)]
    [Theory]
    [InlineData("status", "created (UTC)")]
    [InlineData("graph export --list", null)] // no graph yet: lists nothing
    public async Task A_read_only_command_reads_the_storage_of_the_process_that_holds_the_workspace(string command, string? expected)
    {
        await using var azurite = await AzuriteLauncher.StartAsync(new AzuriteOptions { ReuseRunningInstance = false }, null, CancellationToken.None);
        using var holder = await WorkspaceLock.AcquireAsync(Workspace, "wildlong run --queries big.jsonl", wait: false, _ => { }, CancellationToken.None);
        await holder.PublishStorageAsync(azurite.BlobEndpoint, azurite.QueueEndpoint, azurite.TableEndpoint, CancellationToken.None);

        var (code, output) = await CliInvoker.InvokeAsync([.. command.Split(' '), "--config", WriteConfig()]);

        Assert.True(code == 0, $"exit {code}: {output}");
        if (expected is not null)
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(Path.Combine(Workspace, "azurite")), "an Azurite was started on a workspace another process holds");
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Workspace, "wildlong.lock.json")));
        Assert.Equal("wildlong run --queries big.jsonl", file.RootElement.GetProperty("Command").GetString()); // the holder still holds it
    }

    [Fact]
    public async Task Waiting_for_a_held_workspace_says_who_holds_it_once_and_continues_when_it_is_free()
    {
        var first = await WorkspaceLock.AcquireAsync(Workspace, "wildlong run --sample", wait: false, _ => { }, CancellationToken.None);
        var seen = new List<WorkspaceLockHolder?>();

        var second = WorkspaceLock.AcquireAsync(Workspace, "wildlong status", wait: true, seen.Add, CancellationToken.None);
        await Task.Delay(1500);
        Assert.False(second.IsCompleted, "the second lock was granted while the first was held");
        first.Dispose();
        using var acquired = await second.WaitAsync(TimeSpan.FromSeconds(10));

        var holder = Assert.Single(seen);
        Assert.NotNull(holder);
        Assert.Equal("wildlong run --sample", holder.Command);
        Assert.Null(acquired.TakenOverFrom);
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Workspace, "wildlong.lock.json")));
        Assert.Equal("wildlong status", file.RootElement.GetProperty("Command").GetString());
    }

    [Fact]
    public async Task Waiting_stops_when_the_command_is_cancelled()
    {
        using var first = await WorkspaceLock.AcquireAsync(Workspace, "wildlong run --sample", wait: false, _ => { }, CancellationToken.None);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => WorkspaceLock.AcquireAsync(Workspace, "wildlong status", wait: true, _ => { }, stop.Token));
    }

    [Fact]
    public async Task A_lock_whose_holder_died_is_taken_over_and_the_dead_holder_is_named()
    {
        // A real process that has ended: its pid is free, like a CLI killed with kill -9 (the OS released its lock).
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();
        Directory.CreateDirectory(Workspace);
        await File.WriteAllTextAsync(Path.Combine(Workspace, "wildlong.lock.json"), JsonSerializer.Serialize(
            new WorkspaceLockHolder(gone.Id, "wildlong run --sample", DateTimeOffset.UtcNow.AddMinutes(-3), Environment.MachineName)));

        using var acquired = await WorkspaceLock.AcquireAsync(Workspace, "wildlong run --sample", wait: false, _ => throw new InvalidOperationException("waited for a dead holder"), CancellationToken.None);

        Assert.NotNull(acquired.TakenOverFrom);
        Assert.Equal(gone.Id, acquired.TakenOverFrom.ProcessId);
    }

    [Fact]
    public async Task A_released_lock_is_free_for_the_next_command_and_leaves_no_holder_behind()
    {
        using (await WorkspaceLock.AcquireAsync(Workspace, "wildlong status", wait: false, _ => { }, CancellationToken.None))
        {
        }

        Assert.False(File.Exists(Path.Combine(Workspace, "wildlong.lock.json")));
        using var again = await WorkspaceLock.AcquireAsync(Workspace, "wildlong status", wait: false, _ => { }, CancellationToken.None);
        Assert.Null(again.TakenOverFrom);
    }

    [Fact]
    public void The_workspace_keeps_only_the_newest_log_files()
    {
        var logs = Path.Combine(temp, "logs");
        Directory.CreateDirectory(logs);
        var start = DateTime.UtcNow.AddHours(-1);
        for (var i = 0; i < 25; i++)
        {
            var file = Path.Combine(logs, $"wildlong-{i:00}.log");
            File.WriteAllText(file, "x");
            File.SetLastWriteTimeUtc(file, start.AddMinutes(i));
        }

        File.WriteAllText(Path.Combine(logs, "notes.txt"), "not a log");

        var deleted = CliLog.Prune(logs, keep: 20);

        Assert.Equal(6, deleted); // 19 old ones stay beside the new file the command is about to write
        var left = Directory.GetFiles(logs, "wildlong-*.log").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(6, 19).Select(i => $"wildlong-{i:00}.log"), left);
        Assert.True(File.Exists(Path.Combine(logs, "notes.txt")));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(temp, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string WriteConfig()
    {
        var path = Path.Combine(temp, "config.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            WildLong = new { Workspace, Llm = new { Cache = new { Directory = Path.Combine(temp, "cache") } } },
        }));
        return path;
    }
}
