using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using WildLong.Development.Azurite;

namespace WildLong.Cli;

/// <summary>
/// The Azurite the CLI starts when no storage is configured: data kept in the workspace (<c>.wildlong/azurite</c>), so
/// a stopped or killed run resumes from what it stored. If a previous wildlong process died and left its Azurite
/// running on that folder, that one is asked to stop first (two emulators on one folder would overwrite each other).
/// </summary>
internal static class LocalAzurite
{
    public static async Task<AzuriteLauncher> StartAsync(string workspace, AzuriteOptions configured, ILogger logger, CancellationToken cancellationToken)
    {
        var data = Path.Combine(workspace, "azurite");
        Directory.CreateDirectory(data);
        var pidFile = Path.Combine(data, "wildlong-azurite.pid");
        if (File.Exists(pidFile) && int.TryParse(await File.ReadAllTextAsync(pidFile, cancellationToken), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            await StopLeftoverAsync(pid, logger);
        }

        configured.ReuseRunningInstance = false;
        configured.DataDirectory = data;
        var launcher = await AzuriteLauncher.StartAsync(configured, logger, cancellationToken);
        if (launcher.ProcessId is { } started)
        {
            await File.WriteAllTextAsync(pidFile, started.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }

        return launcher;
    }

    private static async Task StopLeftoverAsync(int pid, ILogger logger)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            var commandLine = OperatingSystem.IsLinux() && File.Exists($"/proc/{pid}/cmdline") ? await File.ReadAllTextAsync($"/proc/{pid}/cmdline") : string.Empty;
            if (!commandLine.Contains("azurite", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            var started = Stopwatch.GetTimestamp();
            var stopped = await AzuriteLauncher.StopSavingAsync(process);
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Stopped the Azurite (pid {Pid}) a previous run left on this workspace in {Seconds:F1} s ({How})",
                    pid, Stopwatch.GetElapsedTime(started).TotalSeconds, stopped ? "saved" : "killed: it did not stop on SIGINT");
            }
        }
        catch (ArgumentException)
        {
            // No such process: nothing left over.
        }
    }
}
