using System.Text.Json;
using WildLong.Core.Graphs;
using WildLong.Core.Model;
using WildLong.Core.Runner;

namespace WildLong.Core.Reports;

/// <summary>The parts of <c>manifest.json</c> (written by <see cref="DatasetWriter"/>) the report reads.</summary>
internal sealed record DatasetManifestView(
    string? CreatedBy,
    long Pairs,
    ulong Seed,
    string? Model,
    bool Simulated,
    Dictionary<string, string?>? Configuration,
    RunScopeReport? Scope,
    string? NoPairsReason,
    DatasetManifestFingerprint? Fingerprint,
    MethodRunCounts? Counts,
    Dictionary<string, StageUsage>? Tokens,
    JsonElement? Cost,
    double? CachedPriceRatio,
    List<string>? PromptVersions,
    GraphReport? Graphs);
