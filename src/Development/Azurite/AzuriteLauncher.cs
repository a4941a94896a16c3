using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WildLong.Core.Common;

namespace WildLong.Development.Azurite;

/// <summary>
/// Gives local runs and tests a real Azure Storage emulator with one call: reuses an Azurite that already answers,
/// or installs the repository's pinned copy (<c>npm ci</c> from <c>tools/azurite/package-lock.json</c>) and starts
/// it on free loopback ports with its own data folder. Disposing stops only what this launcher started (the whole
/// process tree) and deletes a data folder it created.
/// </summary>
public sealed partial class AzuriteLauncher : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known (public) development account key.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>
    /// How long a stop waits for Azurite to exit by itself after SIGINT. It exits once its last save is on disk (about
    /// 2 s here), so this only bounds a hung emulator; killing it earlier can lose the writes of its last seconds.
    /// </summary>
    private static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(60);

    private const string SolutionFileName = "WildLong.sln";

    /// <summary>
    /// Loaded into Azurite before its own code (<c>node --import</c>): a write to a closed stdout or stderr is ignored
    /// instead of crashing Node. An Azurite whose parent died has no reader on its pipes; without this, its
    /// "service is closing" message on SIGINT kills it while it saves its databases, losing recent table rows and
    /// leaving durable orchestrations whose queue messages point at history that no longer exists.
    /// </summary>
    private const string IgnoreClosedPipesModule = "data:text/javascript,process.stdout.on('error',()=>{});process.stderr.on('error',()=>{});";

    private readonly Process? process;
    private readonly string? ownedDataDirectory;
    private readonly ILogger logger;
    private readonly EventHandler? killOnExit;
    private int disposed;

    private AzuriteLauncher(Uri blob, Uri queue, Uri table, Process? process, string? dataDirectory, string? ownedDataDirectory, ILogger logger)
    {
        BlobEndpoint = blob;
        QueueEndpoint = queue;
        TableEndpoint = table;
        this.process = process;
        DataDirectory = dataDirectory;
        this.ownedDataDirectory = ownedDataDirectory;
        this.logger = logger;
        if (process is not null)
        {
            // A host that exits without disposing must not leave a Node process behind; a kept data folder is saved first.
            killOnExit = (_, _) =>
            {
                if (ownedDataDirectory is null)
                {
                    StopSavingAsync(process).GetAwaiter().GetResult();
                }
                else
                {
                    KillProcessTree(process);
                }
            };
            AppDomain.CurrentDomain.ProcessExit += killOnExit;
        }
    }

    /// <summary>Blob service endpoint including the account, e.g. <c>http://127.0.0.1:10000/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint { get; }

    public Uri QueueEndpoint { get; }

    public Uri TableEndpoint { get; }

    /// <summary>Folder Azurite stores its data in; null when an already running instance is reused.</summary>
    public string? DataDirectory { get; }

    /// <summary>True when this launcher started the Azurite process (and will stop it); false when it reuses one.</summary>
    public bool StartedProcess => process is not null;

    /// <summary>Id of the started Node process, or null when an already running instance is reused.</summary>
    public int? ProcessId => process?.Id;

    /// <summary>Connection string for the Azure SDK clients (Blob, Queue, Table).</summary>
    public string ConnectionString => ConnectionStringFor(BlobEndpoint, QueueEndpoint, TableEndpoint);

    /// <summary>The connection string of an Azurite answering at these endpoints (its well-known development account).</summary>
    public static string ConnectionStringFor(Uri blob, Uri queue, Uri table)
        => $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={blob};QueueEndpoint={queue};TableEndpoint={table};";

    /// <summary>
    /// Returns a running Azurite: the one answering on the configured port when reuse is allowed, else a new one.
    /// Throws <see cref="AzuriteLaunchException"/> with a clear message when Node.js/npm are missing or Azurite fails.
    /// </summary>
    public static async Task<AzuriteLauncher> StartAsync(AzuriteOptions options, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        if (options.ReuseRunningInstance)
        {
            var blob = AccountEndpoint(options.Host, options.ExistingBlobPort);
            if (await AnswersAsync(blob, cancellationToken))
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Reusing the Azurite already answering at {Endpoint}", blob);
                }

                return new AzuriteLauncher(blob, AccountEndpoint(options.Host, options.ExistingBlobPort + 1),
                    AccountEndpoint(options.Host, options.ExistingBlobPort + 2), null, null, null, logger);
            }
        }

        var toolDirectory = ResolveToolDirectory(options);
        await EnsureInstalledAsync(toolDirectory, options, logger, cancellationToken);
        var script = ResolveAzuriteScript(toolDirectory);

        var ownedData = options.DataDirectory is null ? Directory.CreateTempSubdirectory("wildlong-azurite-").FullName : null;
        var dataDirectory = options.DataDirectory ?? ownedData!;
        Directory.CreateDirectory(dataDirectory);
        try
        {
            return await LaunchAsync(options, script, toolDirectory, dataDirectory, ownedData, logger, cancellationToken);
        }
        catch
        {
            TryDeleteDirectory(ownedData);
            throw;
        }
    }

    /// <summary>The repository root: the nearest folder upwards (from the app, then the working folder) holding WildLong.sln.</summary>
    public static string? FindRepositoryRoot(string? start = null)
    {
        foreach (var origin in new[] { start, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = origin is null ? null : new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        if (process is not null)
        {
            AppDomain.CurrentDomain.ProcessExit -= killOnExit;
            if (ownedDataDirectory is null)
            {
                // A kept data folder must hold everything written: Azurite saves its metadata on SIGINT, not on SIGKILL.
                if (!await StopSavingAsync(process) && logger.IsEnabled(LogLevel.Warning))
                {
                    logger.LogWarning("Azurite (pid {Pid}) did not stop within {Seconds} s of SIGINT and is killed; its last writes may be lost", process.Id, GracefulStopTimeout.TotalSeconds);
                }
            }

            KillProcessTree(process);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                if (logger.IsEnabled(LogLevel.Warning))
                {
                    logger.LogWarning("Azurite (pid {Pid}) did not exit within 15 s of being killed", process.Id);
                }
            }

            process.Dispose();
        }

        TryDeleteDirectory(ownedDataDirectory);
    }

    private static async Task<AzuriteLauncher> LaunchAsync(AzuriteOptions options, string script, string toolDirectory, string dataDirectory, string? ownedData, ILogger logger, CancellationToken cancellationToken)
    {
        var start = CreateStartInfo(options, script, toolDirectory, dataDirectory);

        // Port 0: Azurite binds free ports itself and prints them, so two launchers never race for the same port.
        var endpoints = new Dictionary<string, TaskCompletionSource<Uri>>(StringComparer.Ordinal)
        {
            ["Blob"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["Queue"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["Table"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        var output = new BoundedLog();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Add(e.Data);
            var match = ListeningLine().Match(e.Data);
            if (match.Success && Uri.TryCreate(match.Groups["url"].Value, UriKind.Absolute, out var url))
            {
                endpoints[match.Groups["service"].Value].TrySetResult(url);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Add(e.Data);
            }
        };

        StartOrExplain(process, options.NodeExecutable, "Node.js");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StartupTimeout);
            var exited = process.WaitForExitAsync(timeout.Token);
            var listening = Task.WhenAll(endpoints.Values.Select(t => t.Task));
            var first = await Task.WhenAny(listening, exited, Task.Delay(Timeout.Infinite, timeout.Token));
            cancellationToken.ThrowIfCancellationRequested();
            if (first != listening)
            {
                var why = process.HasExited ? $"exited with code {process.ExitCode}" : $"did not listen within {options.StartupTimeout.TotalSeconds:0} s";
                throw new AzuriteLaunchException($"Azurite ({script}) {why}. Its output:\n{output}");
            }

            var results = await listening;
            var blob = new Uri(results[0], AccountName);
            var queue = new Uri(results[1], AccountName);
            var table = new Uri(results[2], AccountName);
            while (!await AnswersAsync(blob, timeout.Token))
            {
                await Task.Delay(100, timeout.Token);
            }

            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Started Azurite (pid {Pid}) at {Blob}, data in {Data}", process.Id, blob, dataDirectory);
            }

            return new AzuriteLauncher(blob, queue, table, process, dataDirectory, ownedData, logger);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            KillProcessTree(process);
            process.Dispose();
            throw new AzuriteLaunchException($"Azurite did not answer within {options.StartupTimeout.TotalSeconds:0} s. Its output:\n{output}");
        }
        catch
        {
            KillProcessTree(process);
            process.Dispose();
            throw;
        }
    }

    private static async Task EnsureInstalledAsync(string toolDirectory, AzuriteOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        if (IsInstalled(toolDirectory))
        {
            return;
        }

        if (!File.Exists(Path.Combine(toolDirectory, "package-lock.json")))
        {
            throw new AzuriteLaunchException($"No package-lock.json in '{toolDirectory}'; the pinned Azurite cannot be installed.");
        }

        // Several test projects may start at once: one installs, the others wait for it and then find it installed.
        var lockPath = Path.Combine(Path.GetTempPath(), $"wildlong-azurite-install-{StableHash.Hash64(Path.GetFullPath(toolDirectory)):x16}.lock");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.InstallTimeout);
        await using var installLock = await AcquireLockAsync(lockPath, timeout.Token);
        if (IsInstalled(toolDirectory))
        {
            return;
        }

        var npm = options.NpmExecutable == "npm" && OperatingSystem.IsWindows() ? "npm.cmd" : options.NpmExecutable;
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Installing the pinned Azurite: {Npm} ci --prefix {Directory}", npm, toolDirectory);
        }

        var start = new ProcessStartInfo(npm)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = toolDirectory,
        };
        foreach (var argument in new[] { "ci", "--prefix", toolDirectory, "--no-audit", "--no-fund" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        var output = new BoundedLog();
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        StartOrExplain(process, npm, "npm");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            KillProcessTree(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new AzuriteLaunchException($"npm ci in '{toolDirectory}' did not finish within {options.InstallTimeout.TotalMinutes:0} minutes. Its output:\n{output}");
        }

        if (process.ExitCode != 0 || !IsInstalled(toolDirectory))
        {
            throw new AzuriteLaunchException($"npm ci in '{toolDirectory}' failed with exit code {process.ExitCode}. Its output:\n{output}");
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    private static bool IsInstalled(string toolDirectory)
        => File.Exists(Path.Combine(toolDirectory, "node_modules", ".package-lock.json"))
           && File.Exists(Path.Combine(toolDirectory, "node_modules", "azurite", "package.json"));

    /// <summary>How Azurite is started: its own free ports, data folder and flags, output redirected to the launcher.</summary>
    internal static ProcessStartInfo CreateStartInfo(AzuriteOptions options, string script, string toolDirectory, string dataDirectory)
    {
        var start = new ProcessStartInfo(options.NodeExecutable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = toolDirectory,
        };
        foreach (var argument in new[]
        {
            "--import", IgnoreClosedPipesModule,
            script, "--location", dataDirectory, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            "--blobHost", options.Host, "--blobPort", "0",
            "--queueHost", options.Host, "--queuePort", "0",
            "--tableHost", options.Host, "--tablePort", "0",
        })
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    internal static string ResolveToolDirectory(AzuriteOptions options)
    {
        if (options.ToolDirectory is not null)
        {
            return Path.GetFullPath(options.ToolDirectory);
        }

        var root = options.RepositoryRoot ?? FindRepositoryRoot()
            ?? throw new AzuriteLaunchException($"Cannot find the repository root ({SolutionFileName}) above '{AppContext.BaseDirectory}' or '{Directory.GetCurrentDirectory()}'; set AzuriteOptions.RepositoryRoot or ToolDirectory.");
        return Path.Combine(root, "tools", "azurite");
    }

    internal static string ResolveAzuriteScript(string toolDirectory)
    {
        var packageJson = Path.Combine(toolDirectory, "node_modules", "azurite", "package.json");
        using var document = JsonDocument.Parse(File.ReadAllText(packageJson));
        var relative = document.RootElement.TryGetProperty("bin", out var bin) && bin.ValueKind == JsonValueKind.Object
            && bin.TryGetProperty("azurite", out var entry) && entry.ValueKind == JsonValueKind.String
            ? entry.GetString()!
            : throw new AzuriteLaunchException($"'{packageJson}' declares no 'azurite' executable.");
        return Path.GetFullPath(Path.Combine(toolDirectory, "node_modules", "azurite", relative));
    }

    private static void StartOrExplain(Process process, string executable, string product)
    {
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new AzuriteLaunchException(
                $"Could not run '{executable}': {ex.Message}. Azurite needs {product} (Node.js 20 or later with npm) on PATH; install it or set AzuriteOptions.{(product == "npm" ? "NpmExecutable" : "NodeExecutable")}.", ex);
        }
    }

    /// <summary>True when anything answers HTTP at <paramref name="endpoint"/> (any status: Azurite answers 400 to a bare GET).</summary>
    private static async Task<bool> AnswersAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(endpoint, cancellationToken);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static Uri AccountEndpoint(string host, int port) => new($"http://{host}:{port}/{AccountName}");

    /// <summary>
    /// Stops an Azurite so that its data folder holds everything written: SIGINT, then up to
    /// <see cref="GracefulStopTimeout"/> for it to save and exit, then a kill. True when it exited by itself (saved).
    /// Also used on an Azurite left running by a process that died, before its data folder is reused.
    /// </summary>
    public static async Task<bool> StopSavingAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var saved = await InterruptAsync(process, GracefulStopTimeout);
        KillProcessTree(process);
        return saved;
    }

    /// <summary>
    /// Asks a process to stop as if Ctrl+C was pressed (SIGINT through <c>kill</c>, since .NET only sends SIGKILL) and
    /// waits for it; true when it has exited.
    /// </summary>
    private static async Task<bool> InterruptAsync(Process process, TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return true;
        }

        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            if (kill is not null)
            {
                await kill.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or Win32Exception or InvalidOperationException)
        {
            // Still running (the caller kills it) or already gone.
            return process.HasExited;
        }
    }

    private static void KillProcessTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (Win32Exception)
        {
            // Exiting while we kill it.
        }
    }

    private static void TryDeleteDirectory(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in the temp folder; harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at (?<url>\S+)")]
    internal static partial Regex ListeningLine();

    /// <summary>The last lines a child process printed, for error messages.</summary>
    private sealed class BoundedLog
    {
        private const int MaxLines = 40;
        private readonly Queue<string> lines = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Enqueue(line);
                if (lines.Count > MaxLines)
                {
                    lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (lines)
            {
                return lines.Count == 0 ? "(no output)" : string.Join('\n', lines);
            }
        }
    }
}
