namespace WildLong.Core.Runner;

/// <summary>
/// Adds the parts of a <see cref="RunFingerprint"/> that the method library cannot see, such as the model provider
/// and deployment that the host's model layer configures. Register it as a singleton; every registered contributor
/// is asked by <see cref="RunFingerprintSource"/>.
/// </summary>
public interface IRunFingerprintContributor
{
    void Contribute(RunFingerprintBuilder builder);
}
