using System.Diagnostics;
using System.Globalization;

namespace WildLong.Bench.Chaos;

/// <summary>One <c>wildlong</c> CLI process (<c>dotnet wildlong.dll …</c>) started by the bench, its output appended to a log file.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private ChildProcess(Process process, StreamWriter log, string name)
    {
        this.process = process;
        this.log = log;
        Name = name;
    }

    public string Name { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The last output line starting with <c>error:</c>, if any.</summary>
    public string? LastError { get; private set; }

    public static ChildProcess Start(string name, string cli, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory, string logFile)
    {
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
        var child = new ChildProcess(process, log, name);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.f} {name} {line}"));
            }

            if (line.StartsWith("error:", StringComparison.Ordinal))
            {
                child.LastError = line;
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary><c>kill -9</c> of this process alone, as a crash would end it.</summary>
    public void KillHard()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>SIGTERM, then up to <paramref name="grace"/> to stop before a hard kill.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            KillHard();
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout) => process.WaitForExitAsync(new CancellationTokenSource(timeout).Token).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);

    public void Dispose()
    {
        KillHard();
        process.WaitForExit(TimeSpan.FromSeconds(5));
        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }
}
