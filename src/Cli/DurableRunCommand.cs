using Microsoft.DurableTask.Client;
using Spectre.Console;
using WildLong.Core.Runner;
using WildLong.Pipeline.Runs;

namespace WildLong.Cli;

/// <summary>The shared tail of <c>run</c> and <c>resume</c>: start or resume, follow, download, summarize.</summary>
internal static class DurableRunCommand
{
    public static async Task<int> RunToEndAsync(DurableRun run, RunRequest request, string folder, CancellationToken cancellationToken)
    {
        var how = await run.StartOrResumeAsync(request, folder, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"run       [blue]{request.RunId}[/] ({how})");
        if (how == "resumed" && run.ReclaimWindow > TimeSpan.Zero)
        {
            AnsiConsole.MarkupLineInterpolated($"resuming: work a stopped or killed process still held comes back within {run.ReclaimWindow.TotalSeconds:0} s of its end");
        }
        OrchestrationMetadata metadata;
        try
        {
            metadata = await run.WatchAsync(request.RunId, cancellationToken);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && CommandRunner.IsStop(ex))
        {
            throw new CliException(ExitCodes.Cancelled, CommandRunner.StoppedMessage($"Run the same command again, or `wildlong resume {request.RunId}`, to continue where it stopped."));
        }

        if (metadata.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new CliException(ExitCodes.Failed,
                $"run {request.RunId} {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage ?? "no reason given"}. Run the same command again to retry what is missing.");
        }

        var result = metadata.ReadOutputAs<RunResult>()!;
        var files = await run.DownloadAsync(result, folder, cancellationToken);
        var quarantine = DocumentNotes.Read(Path.Combine(folder, "quarantine.jsonl"));
        var byStage = quarantine.GroupBy(q => q.Stage, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        RunSummaryView.Print(result.Totals.ToCounts(result.Pairs, byStage), quarantine, run.Costs.Calculate(result.Totals.All.Usage, request.Shape.Batch is not null));
        AnsiConsole.MarkupLineInterpolated($"[green]dataset:[/] {Path.GetFullPath(folder)} ({result.Pairs} pairs; {string.Join(", ", files)})");
        ReportCommand.PrintLocation(folder);
        if (result.Pairs == 0)
        {
            throw new CliException(ExitCodes.Failed, $"no pairs: {result.NoPairsReason ?? "no reason recorded"}.");
        }

        if (result.Pairs < request.Settings.Pairs)
        {
            var t = result.Totals;
            throw new CliException(ExitCodes.FewerPairs, NoPairsReason.FewerThanAsked(request.Settings.Pairs, result.Pairs, t.PathsSampled, t.Instructions.Succeeded,
                t.Pairing.Succeeded, t.Generation.Items, t.Generation.Rejected, t.NearDuplicatesRemoved));
        }

        return ExitCodes.Success;
    }
}
