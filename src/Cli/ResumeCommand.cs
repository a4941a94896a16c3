using System.CommandLine;
using System.Text.Json;
using WildLong.Core.Common;

namespace WildLong.Cli;

/// <summary><c>wildlong resume &lt;run-id&gt;</c>: continues a stopped or crashed run from what it stored.</summary>
internal static class ResumeCommand
{
    public static Command Create()
    {
        var runId = new Argument<string>("run-id") { Description = "The run to continue (see `wildlong status`)." };
        var config = new Option<string?>("--config") { Description = "A JSON configuration file (same keys as appsettings.json)." };
        var command = new Command("resume", "Continue a run that was stopped or crashed; finished work is found, not redone.");
        command.Arguments.Add(runId);
        command.Options.Add(config);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var id = parse.GetValue(runId)!;
            await using var host = await CliHost.StartAsync(parse.GetValue(config), new Dictionary<string, string?>(), CliHostMode.Engine, cancellationToken, probeModel: true);
            var run = new DurableRun(host);
            var record = await run.Runs.GetAsync(id, cancellationToken)
                ?? throw new CliException(ExitCodes.InputNotFound, $"no run '{id}' in this workspace's storage (see `wildlong status`)");
            var stored = JsonSerializer.Deserialize<DurableRun.StoredRun>(record.ConfigurationJson, WildLongJson.Options)
                ?? throw new CliException(ExitCodes.Configuration, $"run '{id}' has no stored request");
            return await DurableRunCommand.RunToEndAsync(run, stored.Request, stored.OutputFolder, cancellationToken);
        }, cancellationToken));
        return command;
    }
}
