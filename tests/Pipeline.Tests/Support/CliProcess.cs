using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace WildLong.Pipeline.Tests.Support;

/// <summary>
/// The built <c>wildlong</c> CLI run as a child process (<c>dotnet wildlong.dll …</c>) with a workspace of its own,
/// its output collected line by line, and an optional hard kill of the CLI process alone (not its tree: its Azurite
/// is left orphaned, as after a real crash) at the first output line a predicate accepts — or, with a signal name
/// (<c>TERM</c>, <c>INT</c>), that signal sent to the CLI process instead.
/// </summary>
public static class CliProcess
{
    /// <summary>Where the workspace's Azurite records its process id (see the CLI's LocalAzurite).</summary>
    public static string AzuritePidFile(string workspace) => Path.Combine(workspace, "azurite", "wildlong-azurite.pid");

    public static string CliAssembly()
    {
        var configuration = typeof(CliProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WildLong.sln")))
            {
                var cli = Path.Combine(dir.FullName, "src", "Cli", "bin", configuration, "net10.0", "wildlong.dll");
                return File.Exists(cli) ? cli : throw new FileNotFoundException($"The CLI is not built at {cli}; build tests/Pipeline.Tests (it references src/Cli).", cli);
            }
        }

        throw new DirectoryNotFoundException($"No WildLong.sln above {AppContext.BaseDirectory}.");
    }

    public static async Task<CliRun> RunAsync(
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment,
        Action<string> log,
        Func<string, bool>? killWhen,
        TimeSpan timeout,
        string? signal = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(log);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

        // A test run started in the background by a non-interactive shell (`… &`, as some CI runners do) inherits
        // SIGINT ignored, and the CLI rightly keeps it so (nohup semantics): a test that sends SIGINT starts the CLI
        // through `env --default-signal=INT`, which restores the default and then execs it (same process id).
        var start = new ProcessStartInfo(signal == "INT" ? "env" : dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (signal == "INT")
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add(dotnet);
        }

        start.ArgumentList.Add(CliAssembly());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var lines = new ConcurrentQueue<(string Line, TimeSpan At)>();
        var killed = false;
        var watch = Stopwatch.StartNew();
        TimeSpan? killedAt = null;
        using var process = new Process { StartInfo = start };
        var gate = new Lock();
        void OnLine(string? line, string stream)
        {
            if (line is null)
            {
                return;
            }

            lines.Enqueue((line, watch.Elapsed));
            log(string.Create(CultureInfo.InvariantCulture, $"[{watch.Elapsed.TotalSeconds,6:F1}s {stream}] {line}"));
            if (killWhen is not null && stream == "out" && killWhen(line))
            {
                lock (gate)
                {
                    if (!killed)
                    {
                        killed = true;
                        killedAt = watch.Elapsed;
                        if (signal is null)
                        {
                            process.Kill(entireProcessTree: false);
                        }
                        else
                        {
                            using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
                            kill.WaitForExit();
                        }
                    }
                }
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data, "out");
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, "err");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"wildlong {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        // The parameterless wait also drains the redirected output.
        process.WaitForExit();
        var all = lines.ToArray();
        return new CliRun(process.ExitCode, [.. all.Select(l => l.Line)], killed, killedAt, watch.Elapsed) { Times = [.. all.Select(l => l.At)] };
    }

    /// <summary>Stops the Azurite a workspace's pid file names, if it still runs; returns whether one was running.</summary>
    public static bool StopAzurite(string workspace)
    {
        if (RunningAzurite(workspace) is not { } process)
        {
            return false;
        }

        using (process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        return true;
    }

    /// <summary>The Azurite process a workspace's pid file names, when that process still runs and is an Azurite.</summary>
    public static Process? RunningAzurite(string workspace)
    {
        var pidFile = AzuritePidFile(workspace);
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        return RunningAzurite(pid);
    }

    public static Process? RunningAzurite(int pid)
    {
        try
        {
            var process = Process.GetProcessById(pid);
            var commandLine = File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline") : "azurite";
            if (!process.HasExited && commandLine.Contains("azurite", StringComparison.OrdinalIgnoreCase))
            {
                return process;
            }

            process.Dispose();
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
