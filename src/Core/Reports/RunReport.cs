using WildLong.Core.Runner;

namespace WildLong.Core.Reports;

/// <summary>Where the dataset came from: the producing version, model, seed, configuration, inputs, prompts and the run fingerprint's parts.</summary>
public sealed record RunReport(
    string? CreatedBy,
    string? Model,
    ulong Seed,
    bool Simulated,
    IReadOnlyDictionary<string, string?> Configuration,
    RunScopeReport? Scope,
    IReadOnlyList<string> PromptVersions,
    string? FingerprintHash,
    IReadOnlyDictionary<string, string> FingerprintComponents);
