using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using WildLong.Pipeline.Runs;

namespace WildLong.Cli;

/// <summary><c>wildlong status [&lt;run-id&gt;]</c>: the runs in this workspace, or one run's live progress.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var runId = new Argument<string?>("run-id") { Description = "A run id; omit to list runs.", Arity = ArgumentArity.ZeroOrOne };
        var config = new Option<string?>("--config") { Description = "A JSON configuration file (same keys as appsettings.json)." };
        var command = new Command("status", "List runs, or show one run's stage, progress, tokens and cost.");
        command.Arguments.Add(runId);
        command.Options.Add(config);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(config), new Dictionary<string, string?>(), CliHostMode.Client, cancellationToken);
            var run = new DurableRun(host);
            if (parse.GetValue(runId) is not { } id)
            {
                var table = new Table().AddColumns("run", "status", "pairs", "seed", "created (UTC)", "dataset").Border(TableBorder.Rounded);
                foreach (var record in await run.Runs.ListAsync(cancellationToken))
                {
                    var instance = await run.Client.GetInstanceAsync(record.RunId, getInputsAndOutputs: false, cancellationToken);
                    table.AddRow(record.RunId, instance?.RuntimeStatus.ToString() ?? record.Status, record.Pairs.ToString(CultureInfo.InvariantCulture),
                        record.Seed.ToString(CultureInfo.InvariantCulture), record.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), record.DatasetPrefix);
                }

                AnsiConsole.Write(table);
                return ExitCodes.Success;
            }

            var metadata = await run.Client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken)
                ?? throw new CliException(ExitCodes.InputNotFound, $"no run '{id}' in this workspace's task hub");
            AnsiConsole.MarkupLineInterpolated($"run     [blue]{id}[/]  {metadata.RuntimeStatus}  created {metadata.CreatedAt:u}  updated {metadata.LastUpdatedAt:u}");
            if (await new RunProgressReader(run.Client).ReadAsync(metadata, cancellationToken) is { } progress)
            {
                Console.WriteLine(RunProgressView.Describe(progress));
                foreach (var (stage, value) in progress.Stages.Where(s => s.Value.Total > 0))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage,-14} {value.Done,7}/{value.Total,-7} rejected {value.Rejected}"));
                }
            }

            if (metadata.FailureDetails is { } failure)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]failed:[/] {failure.ErrorMessage}");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
