using WildLong.Pipeline.Runs;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Tests.Orchestration;

/// <summary>Input of the probe orchestrator around <see cref="RunInputSteps.RunAsync"/> (the run's input stages without listing and generation).</summary>
public sealed record InputsProbe(IReadOnlyList<BlobRef> Shards, IReadOnlyList<BlobRef> Corpora, RunShape Shape);
