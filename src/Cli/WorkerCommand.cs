using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using WildLong.Engine;

namespace WildLong.Cli;

/// <summary>
/// <c>wildlong worker</c>: joins a task hub as one more worker process — scale-out across processes or machines that
/// share one storage account (configure <c>WildLong:Storage</c> to point at it). Runs until Ctrl+C.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "A JSON configuration file (same keys as appsettings.json)." };
        var llm = new Option<string?>("--llm") { Description = "Model provider: simulator (auto-started), azure-openai or openai-compatible (WildLong:Model:Provider)." };
        var command = new Command("worker", "Join the task hub as an extra worker process and run activities until stopped (Ctrl+C, SIGINT or SIGTERM: exit code 130).");
        command.Options.Add(config);
        command.Options.Add(llm);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (parse.GetValue(llm) is { } provider)
            {
                flags["WildLong:Model:Provider"] = provider;
            }

            await using var host = await CliHost.StartAsync(parse.GetValue(config), flags, CliHostMode.Engine, cancellationToken, probeModel: true);
            var engine = host.Services.GetRequiredService<IOptions<EngineOptions>>().Value;
            AnsiConsole.MarkupLineInterpolated($"worker joined task hub [blue]{engine.TaskHubName}[/] ({engine.Backend}); Ctrl+C to leave");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Like every stopped command: one line, exit code 130. The host's stop hands back what it held.
                throw new CliException(ExitCodes.Cancelled, CommandRunner.StoppedMessage("The worker left the task hub; its unfinished activities go back to it for other workers."));
            }

            return ExitCodes.Success;
        }, CancellationToken.None));
        return command;
    }
}
