using System.Globalization;
using Spectre.Console;
using WildLong.Pipeline.Runs;

namespace WildLong.Cli;

/// <summary>
/// Renders a run's published progress: one bar per stage (done/total, rate, ETA) with tokens and cost in the
/// description when the console is interactive, one line per change otherwise (CI logs, redirected output).
/// </summary>
internal static class RunProgressView
{
    public static async Task ShowAsync(Func<Action<RunProgress>, Task> body)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            string? last = null;
            await body(progress =>
            {
                var line = Describe(progress);
                if (line != last)
                {
                    last = line;
                    Console.WriteLine(line);
                }
            });
            return;
        }

        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var totals = context.AddTask("tokens / cost", autoStart: false);
                await body(progress =>
                {
                    foreach (var (stage, value) in progress.Stages.Where(s => s.Value.Total > 0))
                    {
                        if (!tasks.TryGetValue(stage, out var task))
                        {
                            task = tasks[stage] = context.AddTask(stage);
                        }

                        task.MaxValue = value.Total;
                        task.Value = value.Done;
                        task.Description = value.Rejected > 0 ? $"{stage} ({value.Rejected} rejected)" : stage;
                    }

                    totals.Description = string.Create(CultureInfo.InvariantCulture,
                        $"tokens in {progress.InputTokens:N0} (cached {progress.CachedInputTokens:N0}) out {progress.OutputTokens:N0}, cost {progress.Cost:0.0000}, pairs {progress.PairsKept}");
                });
                foreach (var task in tasks.Values)
                {
                    task.Value = task.MaxValue;
                }
            });
    }

    public static string Describe(RunProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var current = progress.Stages.TryGetValue(progress.Stage, out var stage) ? $" {stage.Done}/{stage.Total}" + (stage.Rejected > 0 ? $" ({stage.Rejected} rejected)" : string.Empty) : string.Empty;
        var eta = progress.EstimatedFinish is { } finish && progress.Stage != RunStageNames.Completed ? $", stage ETA {finish:HH:mm:ss}Z" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{progress.Stage,-12}{current}  tokens {progress.InputTokens + progress.OutputTokens:N0}  cost {progress.Cost:0.0000}  pairs {progress.PairsKept}{eta}");
    }
}
