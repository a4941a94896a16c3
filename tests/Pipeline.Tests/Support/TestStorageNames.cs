using WildLong.Storage;

namespace WildLong.Pipeline.Tests.Support;

/// <summary>
/// Container, table and task hub names (and a local shard cache folder) unique to one test, so tests sharing one
/// Azurite never see each other's data, plus their configuration keys.
/// </summary>
public sealed record TestStorageNames(StorageContainerNames Containers, StorageTableNames Tables, string TaskHub, string ShardCacheDirectory)
{
    public static TestStorageNames Unique() => new(
        new StorageContainerNames
        {
            Queries = AzuriteFixture.UniqueName("queries"),
            Documents = AzuriteFixture.UniqueName("documents"),
            MetaInfo = AzuriteFixture.UniqueName("metainfo"),
            Datasets = AzuriteFixture.UniqueName("datasets"),
            Quarantine = AzuriteFixture.UniqueName("quarantine"),
            LlmCache = AzuriteFixture.UniqueName("llmcache"),
        },
        new StorageTableNames
        {
            Runs = AzuriteFixture.UniqueName("runs"),
            Usage = AzuriteFixture.UniqueName("usage"),
            BatchJobs = AzuriteFixture.UniqueName("batches"),
            Graph = AzuriteFixture.UniqueName("graph"),
            GraphShards = AzuriteFixture.UniqueName("shards"),
            Documents = AzuriteFixture.UniqueName("docs"),
        },
        AzuriteFixture.UniqueName("hub"),
        Path.Combine(Path.GetTempPath(), "wildlong-tests", AzuriteFixture.UniqueName("shards")));

    /// <summary>The <c>WildLong:Storage:Containers:*</c> and <c>WildLong:Storage:Tables:*</c> keys of these names.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Configuration()
    {
        const string containers = StorageOptions.SectionName + ":Containers:";
        const string tables = StorageOptions.SectionName + ":Tables:";
        yield return new(containers + nameof(StorageContainerNames.Queries), Containers.Queries);
        yield return new(containers + nameof(StorageContainerNames.Documents), Containers.Documents);
        yield return new(containers + nameof(StorageContainerNames.MetaInfo), Containers.MetaInfo);
        yield return new(containers + nameof(StorageContainerNames.Datasets), Containers.Datasets);
        yield return new(containers + nameof(StorageContainerNames.Quarantine), Containers.Quarantine);
        yield return new(containers + nameof(StorageContainerNames.LlmCache), Containers.LlmCache);
        yield return new(tables + nameof(StorageTableNames.Runs), Tables.Runs);
        yield return new(tables + nameof(StorageTableNames.Usage), Tables.Usage);
        yield return new(tables + nameof(StorageTableNames.BatchJobs), Tables.BatchJobs);
        yield return new(tables + nameof(StorageTableNames.Graph), Tables.Graph);
        yield return new(tables + nameof(StorageTableNames.GraphShards), Tables.GraphShards);
        yield return new(tables + nameof(StorageTableNames.Documents), Tables.Documents);
    }
}
