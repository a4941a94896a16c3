namespace WildLong.Core.Runner;

/// <summary>
/// Which inputs fed a run, for the manifest and the dataset card: the query shards whose meta-information built its
/// graphs and the corpora whose documents it paired with, each with its content version and item count.
/// <see cref="Mode"/> is <see cref="NamedInputs"/> for a run over the inputs it names, or <see cref="AllInputs"/>
/// for the accumulating mode (every shard and corpus in the account, as the upload triggers and the scheduled
/// regeneration use).
/// </summary>
public sealed record RunScopeReport(string Mode, IReadOnlyList<ScopedInput> QueryShards, IReadOnlyList<ScopedInput> Corpora)
{
    public const string NamedInputs = "named-inputs";

    public const string AllInputs = "all-inputs";
}
