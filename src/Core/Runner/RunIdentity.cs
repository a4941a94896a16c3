using WildLong.Core.Common;

namespace WildLong.Core.Runner;

/// <summary>
/// The one derivation of run ids, shared by the CLI and the Functions app: a hash of what the run reads (blob
/// prefixes of content-addressed uploads, or the state of the merged graphs) and of its <see cref="RunFingerprint"/>.
/// The same inputs with the same settings are the same run (starting it again resumes it, or returns its dataset);
/// changing either gives a new id.
/// </summary>
public static class RunIdentity
{
    private const int HashChars = 16;

    /// <summary>A full run over the query shards and corpus files under two prefixes.</summary>
    public static string ForRun(string queriesPrefix, string documentsPrefix, RunFingerprint fingerprint)
        => Derive("run", fingerprint, "inputs", queriesPrefix ?? string.Empty, documentsPrefix ?? string.Empty);

    /// <summary>A generation from merged graphs: <paramref name="graphState"/> fingerprints the counted shards.</summary>
    public static string ForGeneration(string graphState, RunFingerprint fingerprint, string kind = "gen")
        => Derive(kind, fingerprint, "graph-state", graphState ?? string.Empty);

    private static string Derive(string kind, RunFingerprint fingerprint, params string[] inputs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(fingerprint);
        return kind + "-" + StableHash.ContentAddress(["run-id", kind, fingerprint.Hash, .. inputs])[..HashChars];
    }
}
