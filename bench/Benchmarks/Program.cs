using System.Diagnostics;
using BenchmarkDotNet.Running;
using WildLong.Core.Graphs;
using WildLong.Core.MetaInfo;

namespace WildLong.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project bench/Benchmarks -- --filter '*'</c> runs the BenchmarkDotNet
/// suite; <c>-- --smoke</c> times each operation once with a stopwatch (a quick check, not a measurement).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Contains("--smoke"))
        {
            Smoke(buildOnly: args.Contains("--build-only"), parallelOnly: args.Contains("--parallel-only"));
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static void Smoke(bool buildOnly, bool parallelOnly)
    {
        var watch = new CpuAndWallClock();
        MetaInfoRecord[]? records = SyntheticMetaInfo.Generate(1_000_000);
        Console.WriteLine($"generate 1M: {watch}");
        GraphSet? sequential = null;
        if (!parallelOnly)
        {
            watch.Restart();
            sequential = GraphSet.Build(records);
            Console.WriteLine($"build sequential 1M: {watch}");
        }

        if (buildOnly && !parallelOnly)
        {
            return;
        }

        watch.Restart();
        var parallel = GraphSet.BuildParallel(records);
        Console.WriteLine($"build parallel 1M: {watch}; equal to sequential: {(sequential is null ? "not built" : parallel.ContentEquals(sequential))}");
        if (buildOnly)
        {
            return;
        }

        foreach (var g in parallel.Graphs)
        {
            Console.WriteLine($"  {g.DocumentType}: records {g.RecordCount}, nodes {g.NodeCount}, edges {g.EdgeCount}");
        }

        // Sampling runs where the pipeline runs it, in an activity that holds the graphs but not the records: drop them
        // (and the sequential copy) so the collections timed below do not mark a million records the stage never has.
        records = null;
        sequential = null;
        CollectNow();

        foreach (var temperature in new[] { 1.0, 2.0, 0.5 })
        {
            CollectNow();
            watch.Restart();
            var samplers = parallel.Graphs.Select(g => (Sampler: new PathSampler(g, new SamplingOptions { Temperature = temperature }), g.RecordCount)).ToList();
            Console.WriteLine($"T={temperature} index: {watch}");
            CollectNow();
            watch.Restart();
            var produced = samplers.Sum(s => s.Sampler.SampleUnique((int)Math.Ceiling(150_000.0 * s.RecordCount / parallel.RecordCount), 7).Count);
            Console.WriteLine($"T={temperature} sample 150K unique: {watch} ({produced} paths)");
        }
    }

    /// <summary>A full blocking collection, so a timed step does not pay for the garbage of the one before it.</summary>
    private static void CollectNow()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

/// <summary>
/// Wall and process CPU time since the last restart (on a shared machine CPU time is the steadier figure), and how much
/// of the CPU time the kernel spent: on a virtual machine zeroing memory the process touches for the first time is a
/// large and very variable part of a graph build.
/// </summary>
internal sealed class CpuAndWallClock
{
    private readonly Stopwatch wall = Stopwatch.StartNew();
    private TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    private long allocatedStart = GC.GetTotalAllocatedBytes();
    private int gen2Start = GC.CollectionCount(2);
    private TimeSpan pauseStart = GC.GetTotalPauseDuration();
    private TimeSpan kernelStart = Process.GetCurrentProcess().PrivilegedProcessorTime;

    public void Restart()
    {
        kernelStart = Process.GetCurrentProcess().PrivilegedProcessorTime;
        wall.Restart();
        cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        allocatedStart = GC.GetTotalAllocatedBytes();
        gen2Start = GC.CollectionCount(2);
        pauseStart = GC.GetTotalPauseDuration();
    }

    public override string ToString()
        => $"{wall.ElapsedMilliseconds} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds:F0} ms CPU "
            + $"({(Process.GetCurrentProcess().PrivilegedProcessorTime - kernelStart).TotalMilliseconds:F0} ms in the kernel), "
            + $"{(GC.GetTotalAllocatedBytes() - allocatedStart) / (1024.0 * 1024):F0} MB allocated, {GC.CollectionCount(2) - gen2Start} gen2 GCs, "
            + $"{(GC.GetTotalPauseDuration() - pauseStart).TotalMilliseconds:F0} ms GC pause";
}
