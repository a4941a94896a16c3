using FsCheck.Xunit;
using WildLong.Core.Graphs;
using WildLong.Core.MetaInfo;
using static WildLong.Core.Tests.Graphs.GraphRecords;

namespace WildLong.Core.Tests.Graphs;

/// <summary>
/// Shards are built independently and merged in whatever order they finish, so merging must be an exact sum:
/// associative, commutative, and equal to one build over all records.
/// </summary>
public class GraphMergeProperties
{
    private static GraphSet BuildShard(IEnumerable<MetaInfoRecord> records) => GraphSet.Build(records);

    private static GraphSet MergeAll(params GraphSet[] sets)
    {
        var result = new GraphSet();
        foreach (var set in sets)
        {
            result.Merge(set);
        }

        return result;
    }

    [Property(MaxTest = 200)]
    public bool Merging_random_partitions_in_any_order_and_grouping_equals_a_single_build(byte[][] encoded, byte[] shardOf)
    {
        var records = Decode(encoded);
        var whole = GraphSet.Build(records);
        shardOf ??= [];
        int ShardOf(int i) => shardOf.Length == 0 ? 0 : shardOf[i % shardOf.Length] % 3;
        var shards = Enumerable.Range(0, 3).Select(s => records.Where((_, i) => ShardOf(i) == s).ToList()).ToArray();
        GraphSet A() => BuildShard(shards[0]);
        GraphSet B() => BuildShard(shards[1]);
        GraphSet C() => BuildShard(shards[2]);

        var leftFirst = MergeAll(MergeAll(A(), B()), C());      // (a + b) + c
        var rightFirst = MergeAll(A(), MergeAll(B(), C()));     // a + (b + c)
        var reversed = MergeAll(C(), B(), A());                 // c + b + a
        var viaGraphs = A();
        viaGraphs.Merge(C());
        viaGraphs.Merge(B());

        return whole.ContentEquals(leftFirst)
            && whole.ContentEquals(rightFirst)
            && whole.ContentEquals(reversed)
            && whole.ContentEquals(viaGraphs)
            && whole.RecordCount == records.Count;
    }

    [Property(MaxTest = 100)]
    public bool Merge_is_commutative_for_single_graphs(byte[][] left, byte[][] right)
    {
        CooccurrenceGraph Graph(byte[][] encoded)
        {
            var graph = new CooccurrenceGraph("g");
            foreach (var record in Decode(encoded))
            {
                graph.Add(record with { DocumentType = "g" });
            }

            return graph;
        }

        var ab = Graph(left);
        ab.Merge(Graph(right));
        var ba = Graph(right);
        ba.Merge(Graph(left));
        return ab.ContentEquals(ba) && ab.ToJson() == ba.ToJson();
    }

    [Property(MaxTest = 100)]
    public bool Graph_set_json_round_trips(byte[][] encoded)
    {
        var set = GraphSet.Build(Decode(encoded));
        var restored = GraphSet.FromJson(set.ToJson());
        return restored.ContentEquals(set) && restored.ToJson() == set.ToJson();
    }

    [Fact]
    public void Parallel_build_equals_sequential_build_including_split_document_types()
    {
        // One dominant type (split into chunks and merged) plus small ones (built whole).
        var records = Synthetic(9000, ["legal_contract", "legal_contract", "legal_contract", "legal_contract", "novel", "memo"]);
        var options = new GraphOptions();
        options.ExcludedFields.Add("field5");

        var sequential = GraphSet.Build(records, options);
        var parallel2 = GraphSet.BuildParallel(records, options, degreeOfParallelism: 2);
        var parallel3 = GraphSet.BuildParallel(records, options, degreeOfParallelism: 3);

        Assert.Equal(["legal_contract", "memo", "novel"], sequential.DocumentTypes);
        Assert.True(sequential.ContentEquals(parallel2));
        Assert.True(sequential.ContentEquals(parallel3));
        Assert.Equal(0, sequential["novel"]!.GetNodeCount("field5", "value0"));
    }

    [Fact]
    public void A_parallel_build_refuses_a_record_without_a_document_type_as_the_sequential_one_does()
    {
        var records = Synthetic(9000, ["novel", "memo"]).ToList();
        records[7000] = records[7000] with { DocumentType = " " }; // in the second thread's range of records

        var parallel = Assert.Throws<ArgumentException>(() => GraphSet.BuildParallel(records, degreeOfParallelism: 2));
        var sequential = Assert.Throws<ArgumentException>(() => GraphSet.Build(records));

        Assert.Equal("records", parallel.ParamName);
        Assert.Equal(sequential.GetType(), parallel.GetType());
    }

    [Fact]
    public void Graph_set_prune_and_remap_apply_to_every_type()
    {
        var set = GraphSet.Build(Synthetic(600, ["novel", "memo"]));
        var pruned = set.Prune(new GraphOptions { MinNodeCount = 5, MinEdgeCount = 3 });
        var remapped = set.Remap((type, field, value) => type == "memo" && field == "field0" ? "one" : null);

        Assert.All(pruned.Graphs, g => Assert.All(g.Nodes, n => Assert.True(n.Count >= 5)));
        Assert.All(pruned.Graphs, g => Assert.All(g.Edges, e => Assert.True(e.Count >= 3)));
        Assert.Single(remapped["memo"]!.Nodes, n => n.Field == "field0");
        Assert.True(remapped["novel"]!.ContentEquals(set["novel"]));
    }
}
