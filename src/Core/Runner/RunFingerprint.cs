namespace WildLong.Core.Runner;

/// <summary>
/// Everything besides the inputs that shapes a run's data — the meta-information schema, the taxonomy, every prompt's
/// version, the method's option sections (sampling, graphs, generation, …), the model and the method version — as one
/// stable hash plus a short ordered list of named parts. The hash goes into the run id (<see cref="RunIdentity"/>),
/// so changing any of these starts a new run instead of resuming or returning an old one; the parts go into
/// <c>manifest.json</c> and the dataset card, so a reader can tell which of them differs between two datasets.
/// Built by <see cref="RunFingerprintSource"/>; small enough to travel in an orchestration input.
/// </summary>
/// <param name="Hash">16 hex digits of SHA-256 over the components.</param>
/// <param name="Components">Name → value (a short content hash for option sections and artefacts), ordinal by name.</param>
public sealed record RunFingerprint(string Hash, IReadOnlyList<RunFingerprintComponent> Components)
{
    /// <summary>
    /// The method's own version: bump it when a code change alters the data produced for the same inputs and
    /// settings (a new stage, a changed planner), so runs made by older code are not resumed or returned.
    /// </summary>
    public const string MethodVersion = "1";

    /// <summary>Value equality over the list too (records compare lists by reference).</summary>
    public bool Equals(RunFingerprint? other)
        => other is not null && string.Equals(Hash, other.Hash, StringComparison.Ordinal) && Components.SequenceEqual(other.Components);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Hash);

    /// <summary>The value of the component <paramref name="name"/>, or null.</summary>
    public string? this[string name] => Components.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))?.Value;
}
