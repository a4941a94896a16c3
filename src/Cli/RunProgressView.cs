using System.Globalization;
using Spectre.Console;
using WildLong.Core;
using WildLong.Pipeline.Runs;

namespace WildLong.Cli;

/// <summary>
/// Renders a run's published progress: one bar per stage (done/total, rate, ETA) with tokens and cost in the
/// description when the console is interactive, one line per change otherwise (CI logs, redirected output). When
/// nothing has changed for <see cref="WaitingAfter"/> it says so and for how long — activities in flight, or work a
/// stopped process held coming back (the caller says which) — so a waiting run
/// never looks frozen.
/// </summary>
internal static class RunProgressView
{
    /// <summary>How long without a change before the view says it is waiting (and again every this long).</summary>
    public static readonly TimeSpan WaitingAfter = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <paramref name="body"/>, which reports the latest progress (or null before the run published any) with
    /// how long it has been unchanged.
    /// </summary>
    public static async Task ShowAsync(string waitingFor, Func<Action<RunProgress?, TimeSpan>, Task> body)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            string? last = null;
            var saidWaiting = 0L;
            await body((progress, unchanged) =>
            {
                var line = progress is null ? "starting" : Describe(progress);
                if (line != last)
                {
                    last = line;
                    saidWaiting = 0;
                    if (progress is not null)
                    {
                        Console.WriteLine(line);
                    }
                }
                else if (unchanged.Ticks / WaitingAfter.Ticks is var buckets && buckets > saidWaiting)
                {
                    saidWaiting = buckets;
                    Console.WriteLine(Waiting(line, unchanged, waitingFor));
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
                await body((progress, unchanged) =>
                {
                    if (progress is null)
                    {
                        totals.Description = unchanged >= WaitingAfter ? Waiting("starting", unchanged, waitingFor) : "starting";
                        return;
                    }

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
                        $"tokens in {progress.InputTokens:N0} (cached {progress.CachedInputTokens:N0}) out {progress.OutputTokens:N0}, cost {progress.Cost:0.0000}, pairs {progress.PairsKept}")
                        + (unchanged >= WaitingAfter ? string.Create(CultureInfo.InvariantCulture, $" — waiting {unchanged.TotalSeconds:0} s") : string.Empty);
                });
                foreach (var task in tasks.Values)
                {
                    task.Value = task.MaxValue;
                }
            });
    }

    /// <summary>The waiting line: <c>{line}  (no change for 20 s: waiting for …)</c>.</summary>
    public static string Waiting(string line, TimeSpan unchanged, string waitingFor)
        => string.Create(CultureInfo.InvariantCulture, $"{line}  (no change for {unchanged.TotalSeconds:0} s: waiting for {waitingFor})");

    public static string Describe(RunProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var current = progress.Stages.TryGetValue(progress.Stage, out var stage) ? $" {stage.Done}/{stage.Total}" + (stage.Rejected > 0 ? $" ({stage.Rejected} rejected)" : string.Empty) : string.Empty;
        var eta = progress.EstimatedFinish is { } finish && progress.Stage != StageNames.Completed ? $", stage ETA {finish:HH:mm:ss}Z" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{progress.Stage,-22}{current}  tokens {progress.InputTokens + progress.OutputTokens:N0}  cost {progress.Cost:0.0000}  pairs {progress.PairsKept}{eta}");
    }
}
