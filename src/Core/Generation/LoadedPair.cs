using WildLong.Core.Documents;

namespace WildLong.Core.Generation;

/// <summary>
/// A planned pair together with the full texts of its documents, loaded by the caller (which owns storage), so the
/// generation stage itself stays free of I/O.
/// </summary>
public sealed record LoadedPair(PlannedPair Plan, IReadOnlyList<LongDocument> Documents);
