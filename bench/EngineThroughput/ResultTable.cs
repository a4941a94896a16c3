using System.Globalization;

namespace WildLong.Bench.EngineThroughput;

/// <summary>The benchmark's output: one line per run as it ends, then the median table in Markdown.</summary>
public static class ResultTable
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private static readonly string[] StorageServices = ["blob", "queue", "table"];

    /// <summary>The 1/5/15-minute load averages (Linux), so numbers are read against what else the machine did.</summary>
    public static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string Describe(ModeResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var line = string.Create(Culture,
            $"   {r.Seconds:0.0} s, {r.Items} items ({r.Queries} queries + {r.Documents} documents + {r.Paths} paths + {r.PairsPlanned} pairs planned) = {r.ItemsPerSecond:0.0} items/s; {r.ModelCalls} model calls; {r.PairsKept} pairs kept; bench process CPU {r.BenchCpuSeconds:0.0} s");
        if (r.AzuriteCpuSeconds is { } azurite)
        {
            line += string.Create(Culture, $"; Azurite CPU {azurite:0.0} s ({azurite / r.Seconds:P1} of wall); Azurite table file {(r.AzuriteTableFileBytes is { } bytes ? $"{bytes / 1e6:0.00} MB" : "unknown")}; upload {r.UploadSeconds:0.0} s (not timed)");
        }

        if (r.History is { } h)
        {
            line += string.Create(Culture, $"\n   history: {h.Instances} instances, {h.Activities} activities, {h.SubOrchestrations} sub-orchestrations, {h.Episodes} episodes, {h.HistoryEvents} events, {h.ReplayedEvents} replayed, largest instance {h.LargestInstanceEvents} events ({h.LargestInstance}); finished work waited {Seconds(h.DispatchWaitSeconds)} s for an episode in all, {Seconds(h.RootDispatchWaitSeconds)} s in the run's own orchestration");
        }

        if (r.StorageRequests is { } requests)
        {
            line += string.Create(Culture, $"\n   storage requests: {r.StorageRequestTotal} ({string.Join(", ", requests.Select(kv => $"{kv.Key} {kv.Value}"))})");
        }

        return line + string.Create(Culture, $"\n   {r.MetaInfoRecords} meta-information records, {r.Instructions} instructions; calls by stage: {string.Join(", ", r.CallsByStage.Select(kv => $"{kv.Key} {kv.Value}"))}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Seconds(double? value) => value is { } v ? v.ToString("0.0", Culture) : "?";

    public static void Print(IReadOnlyList<ModeResult> results, IReadOnlyList<string> modes)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(modes);
        // Counts are the same on every repeat (same seed, same inputs); the time is the median over repeats.
        var medians = modes.Select(m => results.Where(r => r.Mode == m).ToList()).Where(l => l.Count > 0).Select(l => l[0] with { Seconds = Median(l.Select(r => r.Seconds)) }).ToList();
        var baseline = medians.FirstOrDefault(r => r.Mode == BenchOptions.InProcess);
        var runs = results.Count / Math.Max(1, medians.Count);
        Console.WriteLine(string.Create(Culture, $"\n## Throughput (median of {runs} run(s) per mode)\n"));
        Console.WriteLine("| mode | seconds | items | queries | documents | paths | pairs planned | items/s | % of in-process | model calls | pairs kept |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in medians)
        {
            var share = baseline is null ? "-" : (r.ItemsPerSecond / baseline.ItemsPerSecond).ToString("P0", Culture);
            Console.WriteLine(string.Create(Culture,
                $"| {r.Mode} | {r.Seconds:0.0} | {r.Items:N0} | {r.Queries:N0} | {r.Documents} | {r.Paths:N0} | {r.PairsPlanned:N0} | {r.ItemsPerSecond:0.0} | {share} | {r.ModelCalls:N0} | {r.PairsKept} |"));
        }

        if (runs > 1)
        {
            Console.WriteLine("\nall runs (seconds): " + string.Join("; ", modes.Select(m => $"{m} " + string.Join(", ", results.Where(r => r.Mode == m).Select(r => r.Seconds.ToString("0.0", Culture))))));
        }

        var differing = medians.Where(r => baseline is not null && (r.Queries, r.Documents, r.Paths, r.PairsPlanned) != (baseline.Queries, baseline.Documents, baseline.Paths, baseline.PairsPlanned)).ToList();
        foreach (var r in differing)
        {
            Console.WriteLine(string.Create(Culture, $"note: {r.Mode} processed different counts than in-process ({r.Queries}/{r.Documents}/{r.Paths}/{r.PairsPlanned} vs {baseline!.Queries}/{baseline.Documents}/{baseline.Paths}/{baseline.PairsPlanned})"));
        }
    }

    /// <summary>
    /// Cost per kept pair — CPU seconds (bench process + Azurite), storage requests and history events — the figures
    /// compared between a 1,000- and a 10,000-pair run (issue 12: within 1.2× of each other). First run of each mode.
    /// </summary>
    public static void PrintPerPair(IReadOnlyList<ModeResult> results, IReadOnlyList<string> modes, int pairsWanted)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(modes);
        Console.WriteLine(string.Create(Culture, $"\n## Cost per kept pair ({pairsWanted:N0} pairs wanted; first run of each mode)\n"));
        Console.WriteLine("| mode | pairs kept | pairs planned | seconds | CPU s (bench + Azurite) | CPU s/pair | storage requests | requests/pair | blob / queue / table per pair | history events | events/pair | largest instance (events) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
        foreach (var r in modes.Select(m => results.FirstOrDefault(x => x.Mode == m)).OfType<ModeResult>())
        {
            var kept = Math.Max(1, r.PairsKept);
            string PerPair(long? value, string format) => value is { } v ? (v / (double)kept).ToString(format, Culture) : "-";
            var byService = r.StorageRequests is { } q
                ? string.Join(" / ", StorageServices.Select(s => (q.GetValueOrDefault(s) / (double)kept).ToString("0.0", Culture)))
                : "-";
            Console.WriteLine(string.Create(Culture,
                $"| {r.Mode} | {r.PairsKept:N0} | {r.PairsPlanned:N0} | {r.Seconds:0.0} | {r.CpuSeconds:0.0} | {r.CpuSeconds / kept:0.000} | {(r.StorageRequestTotal is { } t ? t.ToString("N0", Culture) : "-")} | {PerPair(r.StorageRequestTotal, "0.0")} | {byService} | {(r.History is { } h ? h.HistoryEvents.ToString("N0", Culture) : "-")} | {PerPair(r.History?.HistoryEvents, "0.00")} | {(r.History is { } l ? l.LargestInstanceEvents.ToString("N0", Culture) : "-")} |"));
        }
    }
}
