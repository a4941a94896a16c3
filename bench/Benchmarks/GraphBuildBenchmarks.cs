using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using WildLong.Core.Graphs;
using WildLong.Core.MetaInfo;

namespace WildLong.Benchmarks;

/// <summary>How long building the per-type co-occurrence graphs takes, sequentially and partitioned over all cores.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class GraphBuildBenchmarks
{
    private MetaInfoRecord[] records = [];

    [Params(250_000, 500_000, 1_000_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup() => records = SyntheticMetaInfo.Generate(Records);

    [Benchmark(Baseline = true)]
    public GraphSet Sequential() => GraphSet.Build(records);

    [Benchmark]
    public GraphSet Parallel() => GraphSet.BuildParallel(records);
}
