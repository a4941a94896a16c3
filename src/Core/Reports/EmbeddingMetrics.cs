namespace WildLong.Core.Reports;

/// <summary>
/// The embedding figures of docs/quality-metrics.md over unit-normalized vectors: the mean pairwise cosine distance of
/// a sample, and each vector's cosine distance to its nearest neighbour in a reference set (leave-one-out when the
/// set is the sample itself).
/// </summary>
public static class EmbeddingMetrics
{
    /// <summary>Mean over all unordered pairs of 1 − cos; with unit vectors Σ_{i≠j} cos = |Σv|² − n, so it is exact in O(n·d).</summary>
    public static double? MeanPairwiseCosineDistance(IReadOnlyList<float[]> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var n = vectors.Count;
        if (n < 2)
        {
            return null;
        }

        var units = vectors.Select(Normalize).ToList();
        var sum = new double[units[0].Length];
        foreach (var v in units)
        {
            for (var k = 0; k < v.Length; k++)
            {
                sum[k] += v[k];
            }
        }

        var squared = sum.Sum(x => x * x);
        var meanCosine = (squared - units.Sum(v => v.Sum(x => x * x))) / ((double)n * (n - 1));
        return 1 - meanCosine;
    }

    /// <summary>
    /// For each of <paramref name="items"/>, 1 − the largest cosine with <paramref name="reference"/>; with
    /// <paramref name="leaveOneOut"/> the items are the reference and an item never matches itself.
    /// </summary>
    public static double[] NearestDistances(IReadOnlyList<float[]> items, IReadOnlyList<float[]> reference, bool leaveOneOut)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(reference);
        var a = items.Select(Normalize).ToArray();
        var b = leaveOneOut ? a : reference.Select(Normalize).ToArray();
        var result = new double[a.Length];
        Parallel.For(0, a.Length, i =>
        {
            var best = double.NegativeInfinity;
            for (var j = 0; j < b.Length; j++)
            {
                if (leaveOneOut && i == j)
                {
                    continue;
                }

                best = Math.Max(best, Dot(a[i], b[j]));
            }

            result[i] = double.IsNegativeInfinity(best) ? double.NaN : 1 - best;
        });
        return result;
    }

    public static double? Median(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double Dot(double[] x, double[] y)
    {
        double s = 0;
        for (var k = 0; k < x.Length; k++)
        {
            s += x[k] * y[k];
        }

        return s;
    }

    private static double[] Normalize(float[] vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        var norm = Math.Sqrt(vector.Sum(x => (double)x * x));
        return norm == 0 ? new double[vector.Length] : vector.Select(x => x / norm).ToArray();
    }
}
