namespace WildLong.Core.Runner;

/// <summary>One named part of a <see cref="RunFingerprint"/>: a value (<c>gpt-4o-mini</c>) or a short content hash.</summary>
public sealed record RunFingerprintComponent(string Name, string Value);
