using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;

namespace WildLong.Cli;

/// <summary>
/// The command's log file: engine, storage and library logs go only here (<c>{workspace}/logs/wildlong-{time}-{pid}.log</c>),
/// never to the console, and an unexpected exception is written here in full while the console gets one line naming
/// the file. Levels come from the <c>Logging</c> section as for any .NET host.
/// </summary>
internal static class CliLog
{
    private static string? current;

    /// <summary>The log file of the command running now, or null before one was opened.</summary>
    public static string? Current => Volatile.Read(ref current);

    /// <summary>Configuration key: how many log files the workspace keeps (the newest; default <see cref="DefaultKeep"/>).</summary>
    public const string KeepKey = "WildLong:Logs:Keep";

    public const int DefaultKeep = 20;

    /// <summary>
    /// Opens a new log file in the workspace and returns a logger factory writing to it; older files beyond the newest
    /// <see cref="KeepKey"/> are deleted, so a workspace used for months does not fill up with logs.
    /// </summary>
    public static ILoggerFactory Open(string workspace, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var folder = Path.Combine(workspace, "logs");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"wildlong-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}.log"));
        Volatile.Write(ref current, path);
        Prune(folder, Keep(configuration));
        return LoggerFactory.Create(logging => Configure(logging, configuration, path));
    }

    /// <summary>The configured number of log files to keep (at least 1); a value that is not a whole number of 1 or more is a configuration error.</summary>
    public static int Keep(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[KeepKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultKeep;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var keep) && keep >= 1
            ? keep
            : throw new CliException(ExitCodes.Configuration, $"configuration error: {KeepKey} is '{text}', which is not a whole number of at least 1");
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> - 1 log files (the new one makes <paramref name="keep"/>); files in use elsewhere are left.</summary>
    internal static int Prune(string folder, int keep)
    {
        var deleted = 0;
        foreach (var old in new DirectoryInfo(folder).EnumerateFiles("wildlong-*.log").OrderByDescending(f => f.LastWriteTimeUtc).ThenByDescending(f => f.Name, StringComparer.Ordinal).Skip(Math.Max(0, keep - 1)))
        {
            try
            {
                old.Delete();
                deleted++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another process may still write it; the next command tries again.
            }
        }

        return deleted;
    }

    /// <summary>Sends a host's logs to the current file (levels from <c>Logging</c>).</summary>
    public static void Configure(ILoggingBuilder logging, IConfiguration configuration, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(logging);
        path ??= Current ?? throw new InvalidOperationException("no log file is open");
        var file = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.File(path, formatProvider: CultureInfo.InvariantCulture, shared: true,
                outputTemplate: "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        logging.ClearProviders();
        logging.AddConfiguration(configuration.GetSection("Logging"));
        // AddProvider, not AddSerilog: AddSerilog adds a Trace-level rule for its provider, which would override the
        // Logging section's levels; here those levels decide, and Serilog only writes the file.
        logging.AddProvider(new SerilogLoggerProvider(file, dispose: true));
    }

    /// <summary>
    /// Writes an unexpected exception in full to the current log file (or a new one in the default workspace, or the
    /// temporary folder when that is not writable) and returns the file's path, or null if nothing could be written.
    /// </summary>
    public static string? WriteFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} FTL wildlong: unexpected failure{Environment.NewLine}{exception}{Environment.NewLine}");
        var candidates = new[]
        {
            Current,
            Path.Combine(Path.GetFullPath(".wildlong"), "logs", $"wildlong-failure-{Environment.ProcessId}.log"),
            Path.Combine(Path.GetTempPath(), $"wildlong-failure-{Environment.ProcessId}.log"),
        };
        foreach (var path in candidates.OfType<string>())
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite); // the host's logger may hold it open
                stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
                return path;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Try the next place.
            }
        }

        return null;
    }
}
