using System.Diagnostics;
using System.Globalization;

namespace WildLong.Development.Processes;

/// <summary>
/// One <c>wildlong</c> CLI process (<c>dotnet wildlong.dll …</c>) that a benchmark starts beside itself — a run, a
/// <c>wildlong worker</c>: every output line goes, time-stamped, to a log file; the last <c>error:</c> line is kept;
/// <see cref="WaitForLineAsync"/> waits for a line (a run's id, "worker joined"); <see cref="StopAsync"/> stops it the
/// way a user does, <see cref="KillHard"/> the way a crash does.
/// </summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly bool echoErrors;
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> waiters = [];
    private readonly EventHandler killOnExit;

    private CliProcess(Process process, StreamWriter log, string name, bool echoErrors)
    {
        this.process = process;
        this.log = log;
        this.echoErrors = echoErrors;
        Name = name;

        // A tool that exits without disposing (an exception, SIGTERM through TerminationSignal) must not leave it running.
        killOnExit = (_, _) => KillTree();
        AppDomain.CurrentDomain.ProcessExit += killOnExit;
    }

    public string Name { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The last output line starting with <c>error:</c>, if any.</summary>
    public string? LastError { get; private set; }

    /// <summary>Starts <c>dotnet <paramref name="cli"/> <paramref name="arguments"/></c>, appending its output to <paramref name="logFile"/>.</summary>
    /// <param name="name">What the log lines and messages call the process.</param>
    /// <param name="cli">The path of <c>wildlong.dll</c>.</param>
    /// <param name="arguments">The command and its options.</param>
    /// <param name="environment">Variables set for the process (its configuration: <c>WildLong__…</c>).</param>
    /// <param name="workingDirectory">Its working directory (the CLI's workspace).</param>
    /// <param name="logFile">The file its time-stamped output lines are appended to.</param>
    /// <param name="echoErrors">Also print its <c>error:</c> lines to this process's console.</param>
    public static CliProcess Start(
        string name,
        string cli,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        string workingDirectory,
        string logFile,
        bool echoErrors = false)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cli);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var child = new CliProcess(process, log, name, echoErrors);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The first output line (from now on) that <paramref name="match"/> accepts; fails when the process ends first or after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (waiters)
        {
            waiters.Add((match, found));
        }

        var ended = process.WaitForExitAsync();
        var first = await Task.WhenAny(found.Task, ended, Task.Delay(timeout));
        if (first == found.Task)
        {
            return await found.Task;
        }

        throw new InvalidOperationException(first == ended
            ? string.Create(CultureInfo.InvariantCulture, $"{Name} (pid {Id}) ended with exit code {process.ExitCode} before the expected line")
            : $"{Name} (pid {Id}) printed no expected line within {timeout}");
    }

    /// <summary>True when the process ended within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// SIGTERM — which the CLI treats as Ctrl+C (cancel, keep the state, exit 130) — then up to <paramref name="grace"/>
    /// to stop before a hard kill of its process tree; returns the exit code (-1 when killed). Not SIGINT: a process
    /// started from a background job inherits SIGINT ignored (POSIX), .NET keeps it ignored, and the CLI would never
    /// see it.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (!process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
            {
                await kill.WaitForExitAsync();
            }

            if (!await WaitAsync(grace))
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return -1;
            }
        }

        return process.ExitCode;
    }

    /// <summary><c>kill -9</c> of this process alone, as a crash would end it (what it started stays, as after a crash).</summary>
    public void KillHard()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= killOnExit;
        KillTree();
        process.WaitForExit(TimeSpan.FromSeconds(5)); // the output readers drain
        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }

    private void KillTree()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.f} {Name} {line}"));
        }

        if (line.StartsWith("error:", StringComparison.Ordinal))
        {
            LastError = line;
            if (echoErrors)
            {
                Console.WriteLine($"   [{Name}] {line}");
            }
        }

        lock (waiters)
        {
            foreach (var waiter in waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Found.TrySetResult(line);
                waiters.Remove(waiter);
            }
        }
    }
}
