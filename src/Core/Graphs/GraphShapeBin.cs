namespace WildLong.Core.Graphs;

/// <summary>
/// One count row of a <see cref="GraphShape"/>: <see cref="Count"/> records hold <see cref="Values"/> values of
/// <see cref="Field"/>, or — when <see cref="Field"/> is <see cref="GraphShape.AllFields"/> — that many graph values
/// in all. The plain row form used in DTOs and table storage; rows for the same (field, values) add up.
/// </summary>
public sealed record GraphShapeBin(string Field, int Values, long Count);
