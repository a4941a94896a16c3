using System.Globalization;
using WildLong.Core;
using WildLong.Core.Common;

namespace WildLong.Storage.Blobs;

/// <summary>
/// Where every blob of the pipeline lives, in one place. Inputs are the user's (any names in <c>queries</c> and
/// <c>documents</c>); everything the pipeline writes has a deterministic name derived from what produced it, so a
/// re-run or a re-delivered activity finds its earlier output instead of paying for it again.
/// </summary>
public sealed class BlobLayout(StorageContainerNames containers)
{
    private readonly StorageContainerNames containers = containers ?? throw new ArgumentNullException(nameof(containers));

    public StorageContainerNames Containers => containers;

    /// <summary>A short stable id for an input blob (its name may contain characters unsuited to blob paths).</summary>
    public static string IdOf(BlobRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return IdOf(input.ToString());
    }

    /// <summary>The id of the input blob written as <c>container/name</c> (<see cref="BlobRef.ToString"/>).</summary>
    public static string IdOf(string blobPath) => StableHash.Hash64(blobPath).ToString("x16", CultureInfo.InvariantCulture);

    public BlobRef ExtractionBatch(string shardId, string version, int index) => new(containers.MetaInfo, $"shards/{shardId}/{version}/batch-{index:D5}.jsonl");

    /// <summary>Real users' words of one extraction slice: request excerpts by task and value details (for the instruction writer).</summary>
    public BlobRef ExtractionExamples(string shardId, string version, int index) => new(containers.MetaInfo, $"examples/{shardId}/{version}/batch-{index:D5}.jsonl");

    /// <summary>How many queries of one extraction slice were filtered as not long-context, by who filtered them (pre-filter or model), for the dataset report.</summary>
    public BlobRef ExtractionFilters(string shardId, string version, int index) => new(containers.MetaInfo, $"filters/{shardId}/{version}/batch-{index:D5}.json");

    public BlobRef ExtractionQuarantine(string shardId, string version, int index) => new(containers.Quarantine, $"extraction/{shardId}/{version}/batch-{index:D5}.jsonl");

    public BlobRef IndexingQuarantine(string corpusId, string version, int index) => new(containers.Quarantine, $"indexing/{corpusId}/{version}/batch-{index:D5}.jsonl");

    public BlobRef IndexingMarker(string corpusId, string version, int index) => new(containers.MetaInfo, $"corpora/{corpusId}/{version}/batch-{index:D5}.documents.jsonl");

    /// <summary>One document's text, addressed by its content, so pairing and generation never reread a corpus file.</summary>
    public BlobRef DocumentText(string contentHash) => new(containers.MetaInfo, $"document-texts/{contentHash}.txt");

    public BlobRef GraphSnapshot(string runId) => new(containers.Datasets, $"{runId}/graphs.json");

    /// <summary>The documents a run pairs with (index entries of its corpora, frozen when its graphs are).</summary>
    public BlobRef RunCatalog(string runId) => new(containers.Datasets, $"{runId}/work/catalog.jsonl");

    /// <summary>The request excerpts and value details a run's instruction writer sees, mapped onto its graphs' values and types.</summary>
    public BlobRef RunExamples(string runId) => new(containers.Datasets, $"{runId}/work/examples.jsonl");

    /// <summary>The shards and corpora that fed a run, with versions and counts (the manifest's scope section).</summary>
    public BlobRef RunScope(string runId) => new(containers.Datasets, $"{runId}/work/scope.json");

    /// <summary>
    /// The query side of the dataset report's inputs (a seeded sample of the kept real queries, the filter split,
    /// per-field record counts), gathered once per run with its graphs; the dataset's finalizing adds the rest.
    /// </summary>
    public BlobRef RunReportSources(string runId) => new(containers.Datasets, $"{runId}/work/report-sources.json");

    public BlobRef Paths(string runId, int round) => new(containers.Datasets, $"{runId}/work/round-{round:D2}/paths.jsonl");

    public BlobRef Instructions(string runId, int round, int index) => new(containers.Datasets, $"{runId}/work/round-{round:D2}/instructions/{index:D5}.jsonl");

    public BlobRef DistinctInstructions(string runId, int round) => new(containers.Datasets, $"{runId}/work/round-{round:D2}/distinct-instructions.jsonl");

    public BlobRef PlannedPairs(string runId, int round) => new(containers.Datasets, $"{runId}/work/round-{round:D2}/planned-pairs.jsonl");

    public BlobRef GeneratedPairs(string runId, int round, int index) => new(containers.Datasets, $"{runId}/work/round-{round:D2}/pairs/{index:D5}.jsonl");

    public BlobRef KeptPairs(string runId, int round) => new(containers.Datasets, $"{runId}/work/round-{round:D2}/kept-pairs.jsonl");

    /// <summary>
    /// The quarantine blob of one slice of a round's step (<paramref name="stage"/>: one of <see cref="StageNames"/>
    /// that a round writes quarantine under).
    /// </summary>
    public BlobRef RunQuarantine(string runId, string stage, int round, int index) => new(containers.Quarantine, $"runs/{runId}/round-{round:D2}/{RunQuarantineStem(stage)}-{index:D5}.jsonl");

    public static string RunQuarantinePrefix(string runId) => $"runs/{runId}/";

    /// <summary>
    /// The file-name stem of a round step's quarantine blobs. The blobs keep the short names the first runs wrote
    /// (a resumed run must find the blobs it wrote before, and the dataset lists them in name order); the entries
    /// inside carry the stage names themselves.
    /// </summary>
    private static string RunQuarantineStem(string stage) => stage switch
    {
        StageNames.InstructionWriting => "instructions",
        StageNames.Pairing => "pairing",
        StageNames.PairGeneration => "generation",
        StageNames.NearDuplicateFilter => "dedup",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "no run quarantine blobs for this stage"),
    };

    /// <summary>The request lines one batch pass of one slice left waiting (named by the slice and the pass).</summary>
    public BlobRef BatchPending(string activity, string scope, BlobRef source, string version, int round, int index, int pass)
        => new(containers.MetaInfo, $"batches/pending/{StableHash.ContentAddress(activity, scope, source.ToString(), version, round.ToString(CultureInfo.InvariantCulture), index.ToString(CultureInfo.InvariantCulture))[..32]}/pass-{pass:D2}.jsonl");

    /// <summary>One batch submission's files (named by its requests' content): request files, ticket, collection mark.</summary>
    public BlobRef BatchSubmission(string submission, string file) => new(containers.MetaInfo, $"batches/{submission}/{file}");

    /// <summary>The finished dataset's folder (pairs.jsonl, pairs.parquet, manifest.json, README.md, quarantine.jsonl).</summary>
    public static string DatasetPrefix(string runId) => $"{runId}/dataset/";
}
