using System.Diagnostics;

namespace WildLong.Infra.Tests.Support;

/// <summary>
/// Runs the packaged Bicep CLI, the only validation of infra/ possible without an Azure subscription
/// (what-if and deployment need one).
/// </summary>
public static class BicepCli
{
    public static Task<BicepResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(arguments, new Dictionary<string, string>(), cancellationToken);

    /// <summary>Runs the CLI with extra environment variables (read by <c>readEnvironmentVariable</c> in .bicepparam files).</summary>
    public static async Task<BicepResult> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(InfraPaths.BicepExecutable)
        {
            WorkingDirectory = InfraPaths.InfraDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // No telemetry from a test run.
        startInfo.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start '{startInfo.FileName}'.");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return new BicepResult(process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
