using WildLong.Core.Graphs;
using WildLong.Storage.Graphs;

namespace WildLong.Functions.Tests.Support;

/// <summary>Small graphs merged into the test app's graph store (ledger table and blobs) through the real <see cref="GraphCountStore"/>.</summary>
internal static class GraphFixtures
{
    /// <summary>A "report" graph: topic tax (3) and finance (2), audience cfo (2), edge tax–cfo (2).</summary>
    public static GraphSet Sample()
    {
        var graph = CooccurrenceGraph.FromCounts(
            "report",
            5,
            [new GraphNode("topic", "tax", 3), new GraphNode("topic", "finance \"Q4\"", 2), new GraphNode("audience", "cfo", 2)],
            [new GraphEdge("audience", "cfo", "topic", "tax", 2)]);
        var set = new GraphSet();
        set.Merge(graph);
        return set;
    }

    public static Task<GraphShardMergeResult> MergeShardAsync(TestApp app, string shard, string version)
        => app.Get<GraphCountStore>().MergeShardAsync(shard, version, Sample(), CancellationToken.None);
}
