namespace WildLong.Core.Reports;

/// <summary>The run fingerprint as <c>manifest.json</c> holds it: the hash and each part's value.</summary>
internal sealed record DatasetManifestFingerprint(string? Hash, Dictionary<string, string>? Components);
