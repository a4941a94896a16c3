namespace WildLong.Engine;

/// <summary>
/// The names <see cref="EngineOptions.Backend"/> accepts, kept in one place so configuration, validation and the
/// backend factory cannot drift apart.
/// </summary>
public static class EngineBackends
{
    /// <summary>Durable Task Azure Storage (queues, tables, blobs; Azurite locally): survives process death and scales out.</summary>
    public const string AzureStorage = "azure-storage";

    /// <summary>The in-memory service of the Durable Task test host: fast, lost when the process ends.</summary>
    public const string Memory = "memory";

    /// <summary>Every accepted backend name.</summary>
    public static IReadOnlyList<string> All { get; } = [AzureStorage, Memory];
}
