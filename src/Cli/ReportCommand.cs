using System.CommandLine;
using Spectre.Console;
using WildLong.Core.Reports;

namespace WildLong.Cli;

/// <summary><c>wildlong report &lt;dataset folder&gt;</c>: (re)builds <c>report.json</c> and <c>report.html</c> from a finished dataset, without a model.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("dataset") { Description = "A dataset folder written by `wildlong run` (holds manifest.json and pairs.jsonl)." };
        var noEmbeddings = new Option<bool>("--no-embeddings") { Description = "Leave out the embedding figures (diversity, realism) instead of loading the local MiniLM model." };
        var command = new Command("report", "Build the dataset report (report.json and a self-contained report.html) from a finished dataset folder. Needs no model and no run state.");
        command.Arguments.Add(folder);
        command.Options.Add(noEmbeddings);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var path = parse.GetValue(folder)!;
            if (!Directory.Exists(path))
            {
                throw new CliException(ExitCodes.InputNotFound, $"dataset folder not found: {path}");
            }

            DatasetReport report;
            try
            {
                var builder = parse.GetValue(noEmbeddings) ? new DatasetReportBuilder(null) : DatasetReportBuilder.Default;
                report = await DatasetReportWriter.WriteAsync(path, builder, cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                throw new CliException(ExitCodes.Failed, ex.Message);
            }

            AnsiConsole.MarkupLineInterpolated($"[green]report:[/] {report.Pairs} pairs{(report.Simulated ? " (SIMULATED)" : "")}");
            PrintLocation(path);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>Prints where a dataset's report is (after <c>run</c> and <c>report</c>).</summary>
    public static void PrintLocation(string folder)
    {
        var html = Path.GetFullPath(Path.Combine(folder, DatasetReport.HtmlFileName));
        if (File.Exists(html))
        {
            AnsiConsole.MarkupLineInterpolated($"[green]report:[/]  {html} (open in a browser; works offline) and {Path.ChangeExtension(html, ".json")}");
        }
    }
}
