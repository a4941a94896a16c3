using System.Diagnostics;
using BenchmarkDotNet.Running;
using WildLong.Core.Graphs;

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
            Smoke();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static void Smoke()
    {
        var watch = new CpuAndWallClock();
        var records = SyntheticMetaInfo.Generate(1_000_000);
        Console.WriteLine($"generate 1M: {watch}");
        watch.Restart();
        var sequential = GraphSet.Build(records);
        Console.WriteLine($"build sequential 1M: {watch}");
        watch.Restart();
        var parallel = GraphSet.BuildParallel(records);
        Console.WriteLine($"build parallel 1M: {watch}; equal: {parallel.ContentEquals(sequential)}");
        foreach (var g in parallel.Graphs)
        {
            Console.WriteLine($"  {g.DocumentType}: records {g.RecordCount}, nodes {g.NodeCount}, edges {g.EdgeCount}");
        }

        foreach (var temperature in new[] { 1.0, 2.0, 0.5 })
        {
            watch.Restart();
            var samplers = parallel.Graphs.Select(g => (Sampler: new PathSampler(g, new SamplingOptions { Temperature = temperature }), g.RecordCount)).ToList();
            Console.WriteLine($"T={temperature} index: {watch}");
            watch.Restart();
            var produced = samplers.Sum(s => s.Sampler.SampleUnique((int)Math.Ceiling(150_000.0 * s.RecordCount / parallel.RecordCount), 7).Count);
            Console.WriteLine($"T={temperature} sample 150K unique: {watch} ({produced} paths)");
        }
    }
}

/// <summary>Wall and process CPU time since the last restart: on a shared machine CPU time is the steadier figure.</summary>
internal sealed class CpuAndWallClock
{
    private readonly Stopwatch wall = Stopwatch.StartNew();
    private TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;

    public void Restart()
    {
        wall.Restart();
        cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    }

    public override string ToString()
        => $"{wall.ElapsedMilliseconds} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds:F0} ms CPU";
}
