namespace WildLong.Core.Reports;

/// <summary>
/// How diverse and how realistic the instructions are (definitions in docs/quality-metrics.md): distinct-n and the
/// compression ratio over all instructions; embedding diversity and the realism distance over a seeded sample.
/// </summary>
/// <param name="Distinct1">Unique unigrams ÷ all unigrams.</param>
/// <param name="Distinct2">Unique bigrams ÷ all bigrams.</param>
/// <param name="Distinct3">Unique trigrams ÷ all trigrams.</param>
/// <param name="CompressionRatio">Raw UTF-8 bytes ÷ gzip bytes of all instructions joined by newlines.</param>
/// <param name="EmbeddingModel">The embedding model (null when none was used).</param>
/// <param name="EmbeddingDiversity">Mean pairwise cosine distance over the sample (count = sample size).</param>
/// <param name="RealismMedian">Median cosine distance of a sampled instruction to its nearest real query.</param>
/// <param name="RealismRatio">That median ÷ the median leave-one-out nearest-neighbour distance among the real queries.</param>
/// <param name="RealQueryMedian">The real queries' median leave-one-out nearest-neighbour distance.</param>
/// <param name="InstructionDistances">Each sampled instruction's distance to its nearest real query (for the histogram).</param>
/// <param name="RealQueryDistances">Each sampled real query's distance to its nearest other real query.</param>
public sealed record DiversityReport(
    ReportMetric Distinct1,
    ReportMetric Distinct2,
    ReportMetric Distinct3,
    ReportMetric CompressionRatio,
    string? EmbeddingModel,
    ReportMetric EmbeddingDiversity,
    ReportMetric RealismMedian,
    ReportMetric RealismRatio,
    ReportMetric RealQueryMedian,
    IReadOnlyList<double> InstructionDistances,
    IReadOnlyList<double> RealQueryDistances);
