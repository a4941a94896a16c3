using System.Diagnostics;

namespace WildLong.Infra.Tests.Support;

/// <summary>
/// Runs infra/hooks/postdeploy.sh the way azd does (sh, the azd environment as environment variables) with a stub
/// <c>az</c> first on PATH that records every call and answers the key check, so the hook's logic is tested
/// without Azure.
/// </summary>
public static class PosixHook
{
    public static string ScriptPath => Path.Combine(InfraPaths.InfraDirectory, "hooks", "postdeploy.sh");

    /// <summary>The values azd would pass (main.bicep outputs and the environment's subscription).</summary>
    public static Dictionary<string, string> AzdEnvironment() => new(StringComparer.Ordinal)
    {
        ["AZURE_SUBSCRIPTION_ID"] = "00000000-0000-0000-0000-000000000001",
        ["AZURE_RESOURCE_GROUP"] = "rg-test",
        ["AZURE_FUNCTION_APP_NAME"] = "func-wildlong-test",
        ["AZURE_STORAGE_ACCOUNT_NAME"] = "stwltest",
        ["WILDLONG_EVENTGRID_TOPIC_NAME"] = "evgt-wildlong-test",
        ["WILDLONG_EVENTGRID_DEADLETTER_CONTAINER"] = "eventgrid-deadletter",
    };

    /// <param name="environment">Variables set for the hook; every other WildLong/Azure variable is removed.</param>
    /// <param name="keyPresent">What the stub answers to the blobs_extension check ("true" or "false").</param>
    public static async Task<HookRun> RunAsync(IReadOnlyDictionary<string, string> environment, string keyPresent)
    {
        var stubDirectory = Directory.CreateTempSubdirectory("wildlong-hook-");
        try
        {
            var log = Path.Combine(stubDirectory.FullName, "az-calls.log");
            var az = Path.Combine(stubDirectory.FullName, "az");
            // One line per call; answers only the key check (the sole az call whose output the hook reads).
            await File.WriteAllTextAsync(az, $$"""
                #!/bin/sh
                echo "$*" >> '{{log}}'
                case "$*" in
                  "functionapp keys list"*) echo '{{keyPresent}}' ;;
                esac
                exit 0

                """.Replace("\r\n", "\n", StringComparison.Ordinal));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var startInfo = new ProcessStartInfo("sh")
            {
                WorkingDirectory = InfraPaths.RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            startInfo.ArgumentList.Add(ScriptPath);
            foreach (var name in startInfo.Environment.Keys.Where(n => n.StartsWith("AZURE_", StringComparison.Ordinal) || n.StartsWith("WILDLONG_", StringComparison.Ordinal)).ToList())
            {
                startInfo.Environment.Remove(name);
            }

            startInfo.Environment["PATH"] = stubDirectory.FullName + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            foreach (var (name, value) in environment)
            {
                startInfo.Environment[name] = value;
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start sh.");
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var calls = File.Exists(log) ? await File.ReadAllLinesAsync(log) : [];
            return new HookRun(process.ExitCode, await output, await error, calls);
        }
        finally
        {
            stubDirectory.Delete(recursive: true);
        }
    }
}
