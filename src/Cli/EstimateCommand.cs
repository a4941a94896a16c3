using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using WildLong.Core.Runner;
using WildLong.Llm;
using WildLong.Llm.Costs;
using WildLong.Pipeline;
using WildLong.Pipeline.Capacity;

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
            var configuration = host.Services.GetRequiredService<IConfiguration>();
            var capacity = CapacityPlanner.Plan(estimate, host.Services.GetRequiredService<IOptions<ModelOptions>>().Value, host.Services.GetRequiredService<IOptions<MethodRunOptions>>().Value,
                configuration.GetSection(PipelineOptions.SectionName).Get<PipelineOptions>() ?? new PipelineOptions(),
                configuration.GetSection(HostingPrices.SectionName).Get<HostingPrices>() ?? new HostingPrices());
            WriteCapacity(capacity, costs.Total.Total);
            foreach (var assumption in estimate.Assumptions.Concat(capacity.Assumptions))
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]assumes {assumption}[/]");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>The capacity plan of a durable run (on Azure or on the embedded engine): time at the quota, work items, storage, hosting cost.</summary>
    private static void WriteCapacity(CapacityPlan capacity, decimal modelCost)
    {
        var culture = CultureInfo.InvariantCulture;
        var hours = capacity.WallClock.TotalHours;
        var pace = capacity.TokenBound ? "tokens per minute set the pace" : "requests per minute set the pace";
        AnsiConsole.WriteLine(string.Create(culture, $"capacity: {(hours >= 1 ? $"{hours:0.0} h" : $"{capacity.WallClock.TotalMinutes:0} min")} at the deployment's quota ({pace}: {capacity.TokenMinutes:N0} min of tokens, {capacity.RequestMinutes:N0} min of requests; {capacity.ChargedTokens:N0} tokens charged at admission)"));
        AnsiConsole.WriteLine(string.Create(culture, $"          {capacity.Activities:N0} activities ({string.Join(", ", capacity.ActivitiesPerStage.Select(s => $"{s.Key} {s.Value:N0}"))}) in {capacity.SubOrchestrations:N0} sub-orchestrations; about {capacity.StorageTransactions:N0} storage transactions"));
        AnsiConsole.WriteLine(string.Create(culture, $"          Azure hosting {capacity.HostingCost:0.00} (Functions {capacity.FunctionsCost:0.00}, storage {capacity.StorageCost:0.00}) next to the model's {modelCost:0.00}"));
    }
}
