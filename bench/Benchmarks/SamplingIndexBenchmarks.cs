using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using WildLong.Core.Graphs;

namespace WildLong.Benchmarks;

/// <summary>How long preparing the sampling index (adjacency by field, cumulative weights) takes for every type's graph.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class SamplingIndexBenchmarks
{
    private GraphSet graphs = new();

    [Params(1.0, 2.0)]
    public double Temperature { get; set; }

    [GlobalSetup]
    public void Setup() => graphs = GraphSet.BuildParallel(SyntheticMetaInfo.Generate(1_000_000));

    [Benchmark]
    public int BuildSamplers()
    {
        var options = new SamplingOptions { Temperature = Temperature };
        return graphs.Graphs.Select(g => new PathSampler(g, options)).Count();
    }
}
