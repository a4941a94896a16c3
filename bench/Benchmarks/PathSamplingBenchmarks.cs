using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using WildLong.Core.Graphs;

namespace WildLong.Benchmarks;

/// <summary>
/// How long drawing unique instruction paths takes on graphs built from 1M synthetic records, spread over the document
/// types in proportion to their record counts (as a run plans them).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class PathSamplingBenchmarks
{
    private GraphSet graphs = new();
    private List<(PathSampler Sampler, int Share)> plan = [];

    [Params(37_500, 75_000, 150_000)]
    public int Paths { get; set; }

    [Params(1.0, 2.0)]
    public double Temperature { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        graphs = GraphSet.BuildParallel(SyntheticMetaInfo.Generate(1_000_000));
        var total = graphs.RecordCount;
        var options = new SamplingOptions { Temperature = Temperature };
        plan = graphs.Graphs
            .Select(g => (new PathSampler(g, options), (int)Math.Ceiling((double)Paths * g.RecordCount / total)))
            .ToList();
    }

    [Benchmark]
    public int SampleUnique()
    {
        var produced = 0;
        foreach (var (sampler, share) in plan)
        {
            produced += sampler.SampleUnique(share, seed: 7).Count;
        }

        return produced;
    }
}
