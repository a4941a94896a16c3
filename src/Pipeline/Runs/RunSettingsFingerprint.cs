using WildLong.Core.Runner;

namespace WildLong.Pipeline.Runs;

/// <summary>The fingerprint of a durable run: the host's configuration with the run's own pairs, seed and share.</summary>
public static class RunSettingsFingerprint
{
    public static RunFingerprint For(this RunFingerprintSource source, RunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(settings);
        return source.Create(settings.Pairs, settings.Seed, settings.MultiDocumentShare);
    }
}
