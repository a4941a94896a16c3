using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Model;
using WildLong.Core.Prompts;
using WildLong.Core.Queries;
using WildLong.Core.Reports;
using WildLong.Core.Runner;
using WildLong.Llm;
using WildLong.Llm.Costs;

namespace WildLong.Cli;

/// <summary><c>wildlong run</c>: the main job — queries and a corpus in, a dataset folder out.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var inputs = new WildLongCommandLine.InputOptions();
        var output = new Option<string?>("--out") { Description = "Dataset folder (default: out/sample with --sample, else out/run)." };
        var engine = new Option<string>("--engine")
        {
            Description = "azure-storage (durable: resumes after a stop or a crash; default), memory (engine state in memory) or in-process (no engine, no storage).",
            DefaultValueFactory = _ => "azure-storage",
        };
        engine.AcceptOnlyFromAmong("azure-storage", "memory", "in-process");
        var batch = new Option<bool>("--batch")
        {
            Description = "Send every model stage's requests as batches at the batch price (WildLong:Llm:Mode=batch; provider and folder: WildLong:Llm:Batch). Needs a durable engine.",
        };
        var command = new Command("run", "Run the WildLong method on a query set and a document corpus and write the dataset. Running the same command again resumes it.");
        inputs.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(engine);
        command.Options.Add(batch);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var (queries, documents, flags) = inputs.Resolve(parse);
            var folder = parse.GetValue(output) ?? Path.Combine("out", parse.GetValue(inputs.Sample) ? "sample" : "run");
            CliHost.CheckWritable(Path.GetFullPath(folder), "output folder (--out)"); // before the run is paid for
            var engineName = parse.GetValue(engine)!;
            if (parse.GetValue(batch))
            {
                if (engineName == "in-process")
                {
                    throw new CliException(ExitCodes.Configuration, "--batch needs a durable engine (--engine azure-storage or memory): batches are waited for with durable timers");
                }

                flags["WildLong:Llm:Mode"] = LlmCallOptions.BatchMode;
            }

            if (engineName != "in-process")
            {
                flags["WildLong:Engine:Backend"] = engineName;
                await using var durable = await CliHost.StartAsync(parse.GetValue(inputs.Config), flags, CliHostMode.Engine, cancellationToken, probeModel: true);
                PrintInputs(durable, queries, documents, engineName);
                await InputWarnings.PrintAsync(durable.Services, queries, documents, cancellationToken);
                var run = new DurableRun(durable);
                var request = await run.PrepareAsync(queries, documents, DurableRun.Settings(durable.Configuration), durable.Simulated, cancellationToken);
                return await DurableRunCommand.RunToEndAsync(run, request, folder, cancellationToken);
            }

            await using var host = await CliHost.StartAsync(parse.GetValue(inputs.Config), flags, CliHostMode.InProcess, cancellationToken, probeModel: true);
            var model = host.Services.GetRequiredService<IOptions<ModelOptions>>().Value;
            PrintInputs(host, queries, documents, engineName);
            await InputWarnings.PrintAsync(host.Services, queries, documents, cancellationToken);

            var runner = host.Services.GetRequiredService<MethodRunner>();
            var result = await RunWithProgressAsync(runner, queries, documents, cancellationToken);

            var costs = host.Services.GetRequiredService<CostCalculator>().Calculate(host.Services.GetRequiredService<UsageLedger>());
            var generation = host.Services.GetRequiredService<IOptions<GenerationOptions>>().Value;
            var fingerprint = host.Services.GetRequiredService<RunFingerprintSource>().Create();
            var configuration = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["run_id"] = await InProcessRunIdAsync(queries, documents, fingerprint, cancellationToken),
                ["queries"] = queries,
                ["documents"] = documents,
                ["pairs"] = host.Services.GetRequiredService<IOptions<MethodRunOptions>>().Value.Pairs.ToString(CultureInfo.InvariantCulture),
                ["multi_document_share"] = generation.MultiDocumentShare.ToString(CultureInfo.InvariantCulture),
                ["provider"] = model.Provider,
                ["deployment"] = model.Deployment,
            };
            var calculator = host.Services.GetRequiredService<CostCalculator>();
            await DatasetWriter.WriteAsync(folder, result, new DatasetManifestExtras(model.Deployment, generation.Seed, host.Simulated, costs, configuration, host.Services.GetRequiredService<PromptLibrary>().Ids, fingerprint, calculator.CachedPriceRatio),
                new DatasetReportBuilder(host.Services.GetService<IEmbeddingGenerator<string, Embedding<float>>>()), cancellationToken);

            RunSummaryView.Print(result.Counts, result.Quarantined, costs);
            AnsiConsole.MarkupLineInterpolated($"[green]dataset:[/] {Path.GetFullPath(folder)} ({result.Records.Count} pairs; pairs.jsonl, manifest.json, quarantine.jsonl, README.md)");
            ReportCommand.PrintLocation(folder);
            if (result.Records.Count == 0)
            {
                throw new CliException(ExitCodes.Failed, $"no pairs: {result.NoPairsReason ?? "no reason recorded"}.");
            }

            var asked = host.Services.GetRequiredService<IOptions<MethodRunOptions>>().Value.Pairs;
            if (result.Records.Count < asked)
            {
                var c = result.Counts;
                throw new CliException(ExitCodes.FewerPairs, NoPairsReason.FewerThanAsked(asked, result.Records.Count, c.PathsSampled, c.Instructions, c.PairsPlanned, c.PairsGenerated, c.PairsRejected, c.NearDuplicatesRemoved));
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>
    /// The id the durable engines give the same inputs and configuration (<see cref="RunIdentity"/>), for the manifest;
    /// null when an input cannot be read (the run has already reported it).
    /// </summary>
    private static async Task<string?> InProcessRunIdAsync(string queries, string documents, RunFingerprint fingerprint, CancellationToken cancellationToken)
    {
        try
        {
            var (queryPrefix, _) = await LocalInputIdentity.ComputeAsync(queries, [.. QueryReader.JsonlExtensions, .. QueryReader.ParquetExtensions], cancellationToken);
            var (documentPrefix, _) = await LocalInputIdentity.ComputeAsync(documents, [.. DocumentReader.JsonlExtensions, .. TextFolderDocumentReader.TextExtensions], cancellationToken);
            return RunIdentity.ForRun(queryPrefix, documentPrefix, fingerprint);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void PrintInputs(CliHost host, string queries, string documents, string engine)
    {
        var model = host.Services.GetRequiredService<IOptions<ModelOptions>>().Value;
        AnsiConsole.MarkupLineInterpolated($"queries   [blue]{queries}[/]");
        AnsiConsole.MarkupLineInterpolated($"documents [blue]{documents}[/]");
        AnsiConsole.MarkupLineInterpolated($"model     [blue]{model.Provider}/{model.Deployment}[/]");
        AnsiConsole.MarkupLineInterpolated($"engine    [blue]{engine}[/]");
        if (host.Simulated)
        {
            AnsiConsole.MarkupLine("[yellow]SIMULATED: every answer comes from the WildLong simulator, not a real model.[/]");
        }
    }

    private static async Task<MethodRunResult> RunWithProgressAsync(MethodRunner runner, string queries, string documents, CancellationToken cancellationToken)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            var last = new Dictionary<string, int>(StringComparer.Ordinal);
            return await runner.RunAsync(queries, documents, new InlineProgress(p =>
            {
                if (p.Done == p.Total || !last.TryGetValue(p.Stage, out var seen) || p.Done - seen >= Math.Max(1, p.Total / 4))
                {
                    last[p.Stage] = p.Done;
                    Console.WriteLine($"{p.Stage,-22} {p.Done,6}/{p.Total}");
                }
            }), cancellationToken);
        }

        MethodRunResult? result = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                result = await runner.RunAsync(queries, documents, new InlineProgress(p =>
                {
                    lock (tasks)
                    {
                        if (!tasks.TryGetValue(p.Stage, out var task))
                        {
                            task = tasks[p.Stage] = context.AddTask(p.Stage);
                        }

                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                    }
                }), cancellationToken);
                foreach (var task in tasks.Values)
                {
                    task.Value = task.MaxValue;
                }
            });
        return result!;
    }

    /// <summary>Reports synchronously (System.Progress posts to the thread pool and can reorder reports).</summary>
    private sealed class InlineProgress(Action<MethodProgress> report) : IProgress<MethodProgress>
    {
        public void Report(MethodProgress value) => report(value);
    }
}
