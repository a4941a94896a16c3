using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using WildLong.Core.Pipeline;
using WildLong.Llm.Costs;

namespace WildLong.Cli;

/// <summary><c>wildlong estimate</c>: the dry run — calls, tokens and cost of a planned run, without calling the model.</summary>
internal static class EstimateCommand
{
    public static Command Create()
    {
        var inputs = new WildLongCommandLine.InputOptions();
        var batch = new Option<bool>("--batch") { Description = "Price at the Global Batch discount." };
        var command = new Command("estimate", "Estimate calls, tokens and cost of a run before spending anything.");
        inputs.AddTo(command);
        command.Options.Add(batch);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var (queries, documents, flags) = inputs.Resolve(parse);
            await using var host = await CliHost.StartAsync(parse.GetValue(inputs.Config), flags, CliHostMode.InProcess, cancellationToken);
            await InputWarnings.PrintAsync(host.Services, queries, documents, cancellationToken);
            var estimate = await host.Services.GetRequiredService<RunEstimator>().EstimateAsync(queries, documents, cancellationToken);
            if (estimate.QueriesKeptByPreFilter == 0 || estimate.DocumentsUsable == 0)
            {
                // A price for pairs that cannot be made would mislead: say what is missing instead.
                var missing = estimate.QueriesKeptByPreFilter == 0
                    ? $"0 usable queries in {queries} ({estimate.QueriesRead} read, none brings or refers to a document)"
                    : $"0 usable documents in {documents} (none could be read at a usable length)";
                throw new CliException(ExitCodes.Configuration, $"nothing to estimate: {missing}; a run on these inputs would make no pairs");
            }

            var costs = host.Services.GetRequiredService<CostCalculator>().Calculate(estimate.Usage, parse.GetValue(batch));

            AnsiConsole.MarkupLineInterpolated($"{estimate.QueriesRead} queries ({estimate.QueriesKeptByPreFilter} pass the pre-filter), {estimate.DocumentsUsable} usable documents (mean {estimate.MeanDocumentTokens.ToString("N0", CultureInfo.InvariantCulture)} tokens, {estimate.DocumentsToClassify} to classify), {estimate.PlannedPairs} pairs planned");
            AnsiConsole.WriteLine(costs.ToTable());
            foreach (var assumption in estimate.Assumptions)
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]assumes {assumption}[/]");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
