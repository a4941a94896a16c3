using WildLong.Core.MetaInfo;

namespace WildLong.Core.Reports;

/// <summary>
/// One graph field over every type's graph: distinct values, the share of records without a value, the share of its
/// nodes counted once (values of the same text in two types' graphs count as one node), its top values and the
/// largest merges made into its values.
/// </summary>
public sealed record FieldReport(
    string Field,
    int DistinctValues,
    ReportMetric NullShare,
    ReportMetric SingletonShare,
    IReadOnlyList<ValueCount> TopValues,
    IReadOnlyList<ValueMerge> TopMerges);
