using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;

namespace WildLong.Core.Graphs;

/// <summary>
/// Draws instruction paths from one document type's co-occurrence graph, so that the combinations of meta-information
/// handed to the instruction writer are plausible (values that real users mention together) yet varied (temperature
/// reaches the long tail, and every path is a fresh walk).
/// </summary>
/// <remarks>
/// <para>A path starts at a value picked with probability ∝ count^(1/T). The remaining fields are then visited in a
/// per-path random order (a shuffle drawn from the path's own generator, so no field is systematically first — schema
/// order would make early fields depend only on the start value). For each field, a value connected to the path is
/// chosen with probability ∝ (sum of edge weights to the values already on the path)^(1/T); a field with no connected
/// value is skipped, and a path holds at most one value per field.</para>
/// <para>Path <c>i</c> uses only <see cref="DeterministicRandom.ForItem"/>(seed, i), and the sampling index is built
/// over nodes in (field, value) order, so a path depends only on the seed, its index and the graph's content — not on
/// how the graph was built or merged, on other paths, or on the order or threads they run on.</para>
/// <para>Speed: the index groups each node's neighbours by field with cumulative tempered weights (w^(1/T)). A step
/// is a two-stage draw (a path node ∝ its tempered total into the field, then a neighbour ∝ its tempered weight) in
/// O(path length + log degree), exact at T = 1 and otherwise corrected by rejection (see
/// <see cref="PickForField"/>); after 32 rejections a step falls back to enumerating all candidates. Every branch
/// draws exactly from the target distribution. The index keeps 24 bytes per edge (both directions) at T = 1 and
/// 40 at other temperatures (the raw weights are only needed to correct the proposal).</para>
/// <para>An instance is immutable after construction and safe to use from many threads.</para>
/// </remarks>
public sealed class PathSampler
{
    private const int RejectionTries = 32;

    private readonly SamplingOptions options;
    private readonly string documentType;
    private readonly string[] fieldNames;
    private readonly int fieldCount;
    private readonly int[] nodeField;
    private readonly string[] nodeValue;
    private readonly double[] startCumulative;
    private readonly int[] rangeStart;      // [node * (fieldCount + 1) + field] → offset into neighbors
    private readonly int[] neighbors;       // per node, sorted by canonical id (hence grouped by field)
    private readonly double[] weights;      // raw weights, parallel to neighbors; empty at T = 1 (unused there)
    private readonly double[] cumulative;   // cumulative tempered weight (w^(1/T)) within each (node, field) range
    private readonly double[] fieldTotal;   // [node * fieldCount + field], tempered total of the range (compact: hot)
    private readonly double exponent;       // 1 / T
    private readonly int[] fieldNodeStart;  // [field] → first node of the field (nodes are grouped by field); [fieldCount] = nodes
    private readonly Dictionary<string, int> fieldIds;
    private readonly PathShape pathShape;
    private readonly PathSampler? shared;   // the all-types sampler for the type-independent fields, when blending
    private readonly IReadOnlySet<string> sharedFields;
    private readonly bool[] ownFieldUsable; // [field] → false for fields the shared sampler supplies
    private readonly int startFieldId;      // -1: the start field has no own values; start anywhere

    public PathSampler(CooccurrenceGraph graph, SamplingOptions options, EdgeWeighting weighting = EdgeWeighting.Log)
        : this(graph, options, weighting, label: null, shape: null, sharedGraph: null, sharedFields: null)
    {
    }

    /// <summary>
    /// A sampler for one document type as resolved by <see cref="GraphSources"/>: its own graph, a borrowed one, or
    /// its own graph with the type-independent fields drawn from the graph of all types. Paths carry
    /// <see cref="GraphSource.DocumentType"/> whichever graph they come from.
    /// </summary>
    public PathSampler(GraphSource source, SamplingOptions options, EdgeWeighting weighting = EdgeWeighting.Log)
        : this(
            (source ?? throw new ArgumentNullException(nameof(source))).Graph,
            options,
            weighting,
            source.DocumentType,
            source.Shape,
            source.Shared,
            source.Shared is null ? null : source.SharedFields)
    {
    }

    private PathSampler(
        CooccurrenceGraph graph,
        SamplingOptions options,
        EdgeWeighting weighting,
        string? label,
        GraphShape? shape,
        CooccurrenceGraph? sharedGraph,
        IReadOnlySet<string>? sharedFields)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Temperature > 0) || double.IsInfinity(options.Temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Temperature, "Temperature must be a positive finite number.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxAttemptsPerPath, nameof(options));
        this.options = options;
        documentType = label ?? graph.DocumentType;
        exponent = 1.0 / options.Temperature;
        this.sharedFields = sharedGraph is null ? new HashSet<string>() : sharedFields ?? new HashSet<string>();
        shared = sharedGraph is null || this.sharedFields.Count == 0 ? null : new PathSampler(sharedGraph, options, weighting);

        // Canonical node ids: rank in (field, value) order. Field ids: rank of the field name.
        var rank = graph.CanonicalRanks(out var order);
        var nodes = order.Length;
        fieldNames = graph.Fields.ToArray();
        fieldCount = fieldNames.Length;
        var fieldId = fieldNames.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        nodeField = new int[nodes];
        nodeValue = new string[nodes];
        startCumulative = new double[nodes];
        double running = 0;
        for (var r = 0; r < nodes; r++)
        {
            nodeField[r] = fieldId[graph.FieldOf(order[r])];
            nodeValue[r] = graph.ValueOf(order[r]);
            running += Math.Pow(graph.CountOf(order[r]), exponent);
            startCumulative[r] = running;
        }

        // The index: per node, its neighbours sorted by canonical id (hence grouped by field, since ids are ranks in
        // (field, value) order), with cumulative tempered weights restarting at every field. Built in O(E) without
        // sorting, as two counting-sort passes over the edge table (a radix sort on (row, column)):
        //   1. scatter each edge into both endpoints' rows, in table order (neighbour + count, unsorted);
        //   2. visit rows in ascending order and append each row to its neighbours' final rows — every final row then
        //      receives its neighbours in ascending order. The graph is symmetric, so this transpose is the adjacency.
        // Both passes are split by destination range over the processors: each worker scans all the input but writes
        // only its own rows, so no synchronisation is needed and each worker's writes stay in a smaller window.
        var table = graph.EdgeTable;
        var capacity = table.Capacity;
        var weigh = new EdgeWeigher(graph, weighting, exponent, rank, order);
        var degree = new int[nodes];
        for (var s = 0; s < capacity; s++)
        {
            if (table.GetSlot(s, out var packed, out var count))
            {
                var (a, b) = CooccurrenceGraph.UnpackKey(packed);
                var (ra, rb) = (rank[a], rank[b]);
                if (weigh.IsPositive(count, ra, rb))
                {
                    degree[ra]++;
                    degree[rb]++;
                }
            }
        }

        var offsets = new int[nodes + 1];
        for (var i = 0; i < nodes; i++)
        {
            offsets[i + 1] = offsets[i] + degree[i];
        }

        var entries = offsets[nodes];
        var partitions = Partition(offsets, Math.Min(Environment.ProcessorCount * 2, 64));
        var unsortedNeighbors = new int[entries];
        var unsortedCounts = new int[entries]; // int.MaxValue: "look the count up" (never in practice)
        var fill = (int[])offsets.Clone();
        Parallel.For(0, partitions.Length - 1, p =>
        {
            var (lo, hi) = (partitions[p], partitions[p + 1]);
            for (var s = 0; s < capacity; s++)
            {
                if (!table.GetSlot(s, out var packed, out var count))
                {
                    continue;
                }

                var (a, b) = CooccurrenceGraph.UnpackKey(packed);
                var (ra, rb) = (rank[a], rank[b]);
                var ina = ra >= lo && ra < hi;
                var inb = rb >= lo && rb < hi;
                if ((ina || inb) && weigh.IsPositive(count, ra, rb))
                {
                    if (ina)
                    {
                        unsortedNeighbors[fill[ra]] = rb;
                        unsortedCounts[fill[ra]++] = (int)Math.Min(count, int.MaxValue);
                    }

                    if (inb)
                    {
                        unsortedNeighbors[fill[rb]] = ra;
                        unsortedCounts[fill[rb]++] = (int)Math.Min(count, int.MaxValue);
                    }
                }
            }
        });

        neighbors = new int[entries];
        cumulative = new double[entries];
        var keepWeights = exponent != 1.0;
        weights = keepWeights ? new double[entries] : [];
        offsets.AsSpan(0, nodes).CopyTo(fill);
        Parallel.For(0, partitions.Length - 1, p =>
        {
            var (lo, hi) = (partitions[p], partitions[p + 1]);
            for (var row = 0; row < nodes; row++)
            {
                var rowField = nodeField[row];
                for (var i = offsets[row]; i < offsets[row + 1]; i++)
                {
                    var column = unsortedNeighbors[i];
                    if (column < lo || column >= hi)
                    {
                        continue;
                    }

                    var at = fill[column]++;
                    var count = unsortedCounts[i] < int.MaxValue
                        ? unsortedCounts[i]
                        : graph.GetEdgeCount(order[row], order[column]);
                    var (weight, tempered) = weigh.Weigh(count, row, column);
                    neighbors[at] = row;
                    if (keepWeights)
                    {
                        weights[at] = weight;
                    }

                    // Running tempered sum within the (column, field) range: rows arrive grouped by field.
                    cumulative[at] = at > offsets[column] && nodeField[neighbors[at - 1]] == rowField
                        ? cumulative[at - 1] + tempered
                        : tempered;
                }
            }
        });

        rangeStart = new int[(nodes * (fieldCount + 1)) + 1];
        fieldTotal = new double[nodes * fieldCount];
        Parallel.For(0, partitions.Length - 1, p =>
        {
            for (var n = partitions[p]; n < partitions[p + 1]; n++)
            {
                var i = offsets[n];
                for (var f = 0; f < fieldCount; f++)
                {
                    rangeStart[(n * (fieldCount + 1)) + f] = i;
                    while (i < offsets[n + 1] && nodeField[neighbors[i]] == f)
                    {
                        i++;
                    }

                    fieldTotal[(n * fieldCount) + f] = i > rangeStart[(n * (fieldCount + 1)) + f] ? cumulative[i - 1] : 0;
                }

                rangeStart[(n * (fieldCount + 1)) + fieldCount] = i;
            }
        });

        fieldIds = fieldId;
        fieldNodeStart = new int[fieldCount + 1];
        for (int f = 0, r = 0; f <= fieldCount; f++)
        {
            while (r < nodes && nodeField[r] < f)
            {
                r++;
            }

            fieldNodeStart[f] = r;
        }

        ownFieldUsable = fieldNames.Select(name => shared is null || !this.sharedFields.Contains(name)).ToArray();
        startFieldId = fieldId.TryGetValue(options.StartField ?? string.Empty, out var start) && ownFieldUsable[start] ? start : -1;
        var effectiveShape = shape ?? graph.Shape;
        pathShape = new PathShape(options.ShapePathsLikeRecords && !effectiveShape.IsEmpty ? effectiveShape : null);
    }

    public PathSampler(CooccurrenceGraph graph, IOptions<SamplingOptions> sampling, IOptions<GraphOptions> graphs)
        : this(graph, (sampling ?? throw new ArgumentNullException(nameof(sampling))).Value,
            (graphs ?? throw new ArgumentNullException(nameof(graphs))).Value.Weighting)
    {
    }

    public string DocumentType => documentType;

    /// <summary>
    /// Path number <paramref name="index"/> for <paramref name="seed"/>; null when the graph has no value to start at.
    /// </summary>
    /// <remarks>
    /// With a recorded shape (<see cref="SamplingOptions.ShapePathsLikeRecords"/>): the path's length L is drawn from
    /// the records' histogram of values per record; the start is a value of <see cref="SamplingOptions.StartField"/>
    /// (the task); the other fields are visited in a random order weighted by how often records hold them (an
    /// exponential race, so frequent fields tend to come first); each field contributes the number of values drawn
    /// from its own histogram (list fields may give several, each connected to the path and distinct); the walk stops
    /// at L values or when nothing more is connected. Extra values of the start field are drawn right after the first
    /// other value joins (before that nothing connects to them). Without a shape every reachable field gives one value.
    /// </remarks>
    public InstructionPath? Sample(long index, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (!HasOwnStart())
        {
            return null;
        }

        var rng = DeterministicRandom.ForItem(seed, index);
        return pathShape.IsUnshaped && shared is null && startFieldId < 0
            ? SampleEveryField(index, rng)
            : SampleShaped(index, rng);
    }

    /// <summary>One value of every reachable field from a start anywhere: paths of graphs without a shape or task.</summary>
    private InstructionPath SampleEveryField(long index, DeterministicRandom rng)
    {
        var path = new int[fieldCount];
        var length = 0;
        var start = PickCumulative(startCumulative, 0, startCumulative.Length, rng.NextDouble() * startCumulative[^1]);
        path[length++] = start;

        var order = new int[fieldCount - 1];
        for (int f = 0, k = 0; f < fieldCount; f++)
        {
            if (f != nodeField[start])
            {
                order[k++] = f;
            }
        }

        rng.Shuffle(order);
        Span<double> totals = stackalloc double[fieldCount];
        foreach (var field in order)
        {
            var next = PickForField(path.AsSpan(0, length), field, totals[..length], rng);
            if (next >= 0)
            {
                path[length++] = next;
            }
        }

        var steps = new PathStep[length];
        for (var i = 0; i < length; i++)
        {
            steps[i] = new PathStep(fieldNames[nodeField[path[i]]], nodeValue[path[i]]);
        }

        return new InstructionPath(documentType, index, steps);
    }

    private InstructionPath SampleShaped(long index, DeterministicRandom rng)
    {
        var target = pathShape.DrawLength(rng);
        var own = new List<int>(fieldCount);
        var sharedPath = new List<int>();
        var steps = new List<PathStep>(Math.Min(target, fieldCount * 2));
        var start = startFieldId >= 0 ? PickStart(startFieldId, rng, null) : PickStartAnywhere(rng);
        own.Add(start);
        steps.Add(new PathStep(fieldNames[nodeField[start]], nodeValue[start]));
        var startField = nodeField[start];

        var order = new List<string>(fieldCount);
        for (var f = 0; f < fieldCount; f++)
        {
            if (f != startField && ownFieldUsable[f])
            {
                order.Add(fieldNames[f]);
            }
        }

        if (shared is not null)
        {
            order.AddRange(shared.fieldNames.Where(name => sharedFields.Contains(name) && name != fieldNames[startField]));
        }

        pathShape.Order(order, rng);
        var startName = fieldNames[startField];
        var startExtras = pathShape.DrawValues(startName, rng) - 1;
        var totals = new double[16];
        var chosenByField = new Dictionary<string, List<int>>(StringComparer.Ordinal) { [startName] = [start] };

        // Adds up to `wanted` more values of `name` connected to the path; returns how many were added.
        int Extend(string name, int wanted)
        {
            var fromShared = shared is not null && sharedFields.Contains(name);
            if (!chosenByField.TryGetValue(name, out var chosen))
            {
                chosenByField[name] = chosen = [];
            }

            var added = 0;
            while (added < wanted && steps.Count < target)
            {
                int next;
                if (fromShared)
                {
                    var sharedField = shared!.fieldIds[name];
                    next = sharedPath.Count == 0
                        ? shared.PickStart(sharedField, rng, chosen)
                        : shared.PickConnected(CollectionsMarshal.AsSpan(sharedPath), sharedField, Buffer(ref totals, sharedPath.Count), rng, chosen);
                }
                else
                {
                    next = PickConnected(CollectionsMarshal.AsSpan(own), fieldIds[name], Buffer(ref totals, own.Count), rng, chosen);
                }

                if (next < 0)
                {
                    break;
                }

                chosen.Add(next);
                (fromShared ? sharedPath : own).Add(next);
                steps.Add(new PathStep(name, fromShared ? shared!.nodeValue[next] : nodeValue[next]));
                added++;
            }

            return added;
        }

        foreach (var name in order)
        {
            if (steps.Count >= target)
            {
                break;
            }

            // The start field's extra values can join once something else connects to them.
            if (Extend(name, pathShape.DrawValues(name, rng)) > 0 && startExtras > 0)
            {
                Extend(startName, startExtras);
                startExtras = 0;
            }
        }

        // Still short of the drawn length: list fields take more connected values, up to the most any record held,
        // so the path's length — the figure compared with the records' — is met whenever the graph allows.
        if (steps.Count < target)
        {
            foreach (var name in order.Prepend(startName))
            {
                var room = pathShape.MaxValues(name) - (chosenByField.TryGetValue(name, out var chosen) ? chosen.Count : 0);
                if (room > 0 && steps.Count < target)
                {
                    Extend(name, room);
                }
            }
        }

        return new InstructionPath(documentType, index, steps);
    }

    private static Span<double> Buffer(ref double[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new double[length * 2];
        }

        return buffer.AsSpan(0, length);
    }

    /// <summary>True when some own value can start a path (blending leaves out the shared fields' own values).</summary>
    private bool HasOwnStart()
    {
        for (var f = 0; f < fieldCount; f++)
        {
            if (ownFieldUsable[f] && fieldNodeStart[f + 1] > fieldNodeStart[f])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A value of <paramref name="field"/> ∝ count^(1/T), not in <paramref name="exclude"/>; -1 when none is left.</summary>
    private int PickStart(int field, DeterministicRandom rng, List<int>? exclude)
    {
        var (from, to) = (fieldNodeStart[field], fieldNodeStart[field + 1]);
        if (from == to)
        {
            return -1;
        }

        var low = from > 0 ? startCumulative[from - 1] : 0;
        var total = startCumulative[to - 1] - low;
        for (var attempt = 0; attempt < RejectionTries; attempt++)
        {
            var candidate = PickCumulative(startCumulative, from, to, low + (rng.NextDouble() * total));
            if (exclude is null || !exclude.Contains(candidate))
            {
                return candidate;
            }
        }

        var allowed = new List<(int Node, double Weight)>();
        for (var i = from; i < to; i++)
        {
            if (!exclude!.Contains(i))
            {
                allowed.Add((i, startCumulative[i] - (i > 0 ? startCumulative[i - 1] : 0)));
            }
        }

        if (allowed.Count == 0)
        {
            return -1;
        }

        var weights = allowed.Select(a => a.Weight).ToArray();
        return allowed[rng.NextWeighted(weights)].Node;
    }

    /// <summary>A start value of any own field ∝ count^(1/T) (fields the shared sampler supplies left out).</summary>
    private int PickStartAnywhere(DeterministicRandom rng)
    {
        if (shared is null)
        {
            return PickCumulative(startCumulative, 0, startCumulative.Length, rng.NextDouble() * startCumulative[^1]);
        }

        var fieldWeights = new double[fieldCount];
        for (var f = 0; f < fieldCount; f++)
        {
            var (from, to) = (fieldNodeStart[f], fieldNodeStart[f + 1]);
            fieldWeights[f] = ownFieldUsable[f] && to > from ? startCumulative[to - 1] - (from > 0 ? startCumulative[from - 1] : 0) : 0;
        }

        return PickStart(rng.NextWeighted(fieldWeights), rng, null);
    }

    /// <summary>A value of <paramref name="field"/> connected to the path and not in <paramref name="exclude"/>, or -1.</summary>
    private int PickConnected(ReadOnlySpan<int> path, int field, Span<double> totals, DeterministicRandom rng, List<int> exclude)
    {
        if (exclude.Count == 0)
        {
            return PickForField(path, field, totals, rng);
        }

        for (var attempt = 0; attempt < RejectionTries; attempt++)
        {
            var candidate = PickForField(path, field, totals, rng);
            if (candidate < 0 || !exclude.Contains(candidate))
            {
                return candidate;
            }
        }

        return PickExactly(path, field, rng, exclude);
    }

    /// <summary>The paths for the given indices, in the same order (sampled in parallel; the result does not depend on it).</summary>
    public IReadOnlyList<InstructionPath> Sample(IReadOnlyList<long> indices, ulong seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var result = new InstructionPath?[indices.Count];
        Parallel.For(0, indices.Count, ParallelOptions(cancellationToken), i => result[i] = Sample(indices[i], seed));
        return result.OfType<InstructionPath>().ToList();
    }

    /// <summary>
    /// The first <paramref name="count"/> distinct paths (by <see cref="InstructionPath.KeyHash"/>) among indices 0, 1, 2, …;
    /// a duplicate keeps its lowest index. At most <paramref name="count"/> × <see cref="SamplingOptions.MaxAttemptsPerPath"/>
    /// indices are tried: a graph that cannot supply that many distinct paths yields fewer (possibly none), never an
    /// endless loop. Indices are sampled in parallel blocks; the result equals a sequential run.
    /// </summary>
    public IReadOnlyList<InstructionPath> SampleUnique(int count, ulong seed, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new List<InstructionPath>(count);
        if (count == 0 || nodeValue.Length == 0)
        {
            return result;
        }

        var cap = (long)count * options.MaxAttemptsPerPath;
        var seen = new HashSet<UInt128>(count);
        var block = new InstructionPath?[(int)Math.Min(cap, Math.Clamp(count, 1024, 65536))];
        for (long first = 0; first < cap && result.Count < count; first += block.Length)
        {
            var size = (int)Math.Min(block.Length, cap - first);
            var from = first;
            Parallel.For(0, size, ParallelOptions(cancellationToken), i => block[i] = Sample(from + i, seed));
            for (var i = 0; i < size && result.Count < count; i++)
            {
                if (block[i] is { } path && seen.Add(path.KeyHash()))
                {
                    result.Add(path);
                }
            }
        }

        return result;
    }

    private ParallelOptions ParallelOptions(CancellationToken cancellationToken) => new()
    {
        CancellationToken = cancellationToken,
        MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount,
    };

    /// <summary>A node of <paramref name="field"/> connected to the path, or -1 when there is none.</summary>
    /// <remarks>
    /// Target: π(v) ∝ s(v)^e with s(v) = Σ_p w(p,v) over path nodes p and e = 1/T. Proposal: pick a path node p
    /// ∝ Σ_v w(p,v)^e, then v ∝ w(p,v)^e, so q(v) ∝ Σ_p w(p,v)^e. Accepting with
    /// ratio(v) / bound, ratio(v) = s(v)^e / Σ_p w(p,v)^e, yields exactly π. By the power-mean inequality the ratio
    /// is ≤ 1 for e ≤ 1 and ≤ k^(e-1) for e &gt; 1 (k: path nodes with edges into the field), which is the bound.
    /// At T = 1 the ratio is 1 and the proposal is the exact draw.
    /// </remarks>
    private int PickForField(ReadOnlySpan<int> path, int field, Span<double> totals, DeterministicRandom rng)
    {
        double total = 0;
        var connected = 0;
        for (var i = 0; i < path.Length; i++)
        {
            totals[i] = fieldTotal[(path[i] * fieldCount) + field];
            total += totals[i];
            connected += totals[i] > 0 ? 1 : 0;
        }

        if (total <= 0)
        {
            return -1;
        }

        if (exponent == 1.0 || connected == 1)
        {
            return Propose(path, field, totals, total, rng);
        }

        var bound = exponent > 1 ? Math.Pow(connected, exponent - 1) : 1.0;
        for (var attempt = 0; attempt < RejectionTries; attempt++)
        {
            var candidate = Propose(path, field, totals, total, rng);
            var (sum, temperedSum) = Score(path, field, candidate);
            if (rng.NextDouble() * bound < Temper(sum) / temperedSum)
            {
                return candidate;
            }
        }

        return PickExactly(path, field, rng);
    }

    private int Propose(ReadOnlySpan<int> path, int field, ReadOnlySpan<double> totals, double total, DeterministicRandom rng)
    {
        var target = rng.NextDouble() * total;
        var p = 0;
        for (; p < path.Length - 1; p++)
        {
            if (target < totals[p])
            {
                break;
            }

            target -= totals[p];
        }

        // Guard against rounding leaving the last path node with an empty range.
        while (totals[p] <= 0)
        {
            p--;
        }

        var (from, to) = Range(path[p], field);
        return neighbors[PickCumulative(cumulative, from, to, target)];
    }

    /// <summary>Σ_p w(p, v) and Σ_p w(p, v)^(1/T) over the path.</summary>
    private (double Sum, double TemperedSum) Score(ReadOnlySpan<int> path, int field, int candidate)
    {
        double sum = 0, tempered = 0;
        foreach (var node in path)
        {
            var (from, to) = Range(node, field);
            var at = Array.BinarySearch(neighbors, from, to - from, candidate);
            if (at >= 0)
            {
                sum += weights[at];
                tempered += Temper(weights[at]);
            }
        }

        return (sum, tempered);
    }

    private double Temper(double weight) => exponent == 1.0 ? weight : Math.Pow(weight, exponent);

    private int PickExactly(ReadOnlySpan<int> path, int field, DeterministicRandom rng, List<int>? exclude = null)
    {
        var scores = new Dictionary<int, double>();
        foreach (var node in path)
        {
            var (from, to) = Range(node, field);
            for (var i = from; i < to; i++)
            {
                if (exclude is not null && exclude.Contains(neighbors[i]))
                {
                    continue;
                }

                ref var score = ref CollectionsMarshal.GetValueRefOrAddDefault(scores, neighbors[i], out _);
                score += WeightAt(i, from);
            }
        }

        // Candidate order must not depend on hashing: sort by node id, then draw from the cumulative target weights.
        var candidates = scores.Keys.ToArray();
        Array.Sort(candidates);
        var targetCumulative = new double[candidates.Length];
        double running = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            running += Math.Pow(scores[candidates[i]], exponent);
            targetCumulative[i] = running;
        }

        return candidates.Length == 0 ? -1 : candidates[PickCumulative(targetCumulative, 0, candidates.Length, rng.NextDouble() * running)];
    }

    /// <summary>The raw weight of adjacency entry <paramref name="i"/> of the range starting at <paramref name="from"/>.</summary>
    /// <remarks>At T = 1 raw weights are not stored: they equal the tempered ones, the steps of the cumulative sums.</remarks>
    private double WeightAt(int i, int from)
        => weights.Length > 0 ? weights[i] : cumulative[i] - (i > from ? cumulative[i - 1] : 0);

    /// <summary>
    /// Splits nodes 0..n-1 (n = offsets.Length - 1) into at most <paramref name="parts"/> contiguous ranges holding
    /// about the same number of adjacency entries; returns the range boundaries.
    /// </summary>
    private static int[] Partition(int[] offsets, int parts)
    {
        var nodes = offsets.Length - 1;
        var total = (long)offsets[nodes];
        parts = (int)Math.Clamp(Math.Min(parts, total / 65536), 1, Math.Max(1, nodes));
        var bounds = new int[parts + 1];
        var node = 0;
        for (var p = 1; p < parts; p++)
        {
            var target = total * p / parts;
            while (node < nodes && offsets[node] < target)
            {
                node++;
            }

            bounds[p] = node;
        }

        bounds[parts] = nodes;
        return bounds;
    }

    private (int From, int To) Range(int node, int field)
    {
        var k = (node * (fieldCount + 1)) + field;
        return (rangeStart[k], rangeStart[k + 1]);
    }

    /// <summary>The first index in [from, to) whose cumulative value exceeds <paramref name="target"/>.</summary>
    private static int PickCumulative(double[] cumulativeValues, int from, int to, double target)
    {
        int lo = from, hi = to - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (cumulativeValues[mid] > target)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    /// <summary>
    /// Edge weight and tempered weight (w^(1/T)) from an edge count. For count-only weightings the values of small
    /// counts — nearly all edges — come from a table, sparing a logarithm and a power per adjacency entry.
    /// </summary>
    private sealed class EdgeWeigher
    {
        private const int CachedCounts = 4096;

        private readonly EdgeWeighting weighting;
        private readonly double exponent;
        private readonly long[] countByRank;
        private readonly long recordCount;
        private readonly double[] weightOf = [];
        private readonly double[] temperedOf = [];

        public EdgeWeigher(CooccurrenceGraph graph, EdgeWeighting weighting, double exponent, int[] rank, int[] order)
        {
            this.weighting = weighting;
            this.exponent = exponent;
            recordCount = graph.RecordCount;
            countByRank = new long[rank.Length];
            for (var r = 0; r < order.Length; r++)
            {
                countByRank[r] = graph.CountOf(order[r]);
            }

            if (weighting != EdgeWeighting.Pmi)
            {
                weightOf = new double[CachedCounts];
                temperedOf = new double[CachedCounts];
                for (var c = 1; c < CachedCounts; c++)
                {
                    weightOf[c] = CooccurrenceGraph.ComputeWeight(weighting, c, 0, 0, recordCount);
                    temperedOf[c] = Temper(weightOf[c]);
                }
            }
        }

        /// <summary>True when the edge gets a positive finite weight (only those enter the index).</summary>
        public bool IsPositive(long count, int rankA, int rankB)
        {
            if (weighting != EdgeWeighting.Pmi && count > 0 && count < CachedCounts)
            {
                return true;
            }

            var w = CooccurrenceGraph.ComputeWeight(weighting, count, countByRank[rankA], countByRank[rankB], recordCount);
            return w > 0 && double.IsFinite(w);
        }

        public (double Weight, double Tempered) Weigh(long count, int rankA, int rankB)
        {
            if (count < CachedCounts && weighting != EdgeWeighting.Pmi)
            {
                return (weightOf[count], temperedOf[count]);
            }

            var w = CooccurrenceGraph.ComputeWeight(weighting, count, countByRank[rankA], countByRank[rankB], recordCount);
            return (w, Temper(w));
        }

        private double Temper(double weight) => exponent == 1.0 ? weight : Math.Pow(weight, exponent);
    }
}
