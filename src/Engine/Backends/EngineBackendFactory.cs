using Azure.Identity;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.Logging;
using WildLong.Storage;

namespace WildLong.Engine.Backends;

/// <summary>
/// Builds the Durable Task backend <see cref="EngineOptions.Backend"/> names, configured from the engine and storage
/// options, and wraps it in the <see cref="EngineOrchestrationService"/> the sidecar talks to.
/// </summary>
internal static class EngineBackendFactory
{
    /// <summary>A worker id unique to this process: machine, process id and a GUID (several processes may share a machine).</summary>
    public static string NewWorkerId() => $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public static EngineOrchestrationService Create(EngineOptions options, StorageOptions storage, string workerId, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var errors = EngineOptionsValidator.Errors(options, storage);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The engine is misconfigured: " + string.Join(" ", errors));
        }

        IOrchestrationService service;
        IOrchestrationServiceClient client;
        switch (options.Backend.Trim().ToLowerInvariant())
        {
            case EngineBackends.Memory:
                var memory = new InMemoryOrchestrationService(loggerFactory);
                (service, client) = (memory, memory);
                break;
            default:
                var azure = new AzureStorageOrchestrationService(AzureStorageSettings(options, storage, workerId, loggerFactory));
                (service, client) = (azure, azure);
                break;
        }

        // Only the azure-storage backend has locks that expire; the in-memory one keeps work items until they are done.
        var renewal = options.Backend.Trim().Equals(EngineBackends.Memory, StringComparison.OrdinalIgnoreCase) ? (TimeSpan?)null : options.LockRenewalInterval;
        return new EngineOrchestrationService(
            service,
            client,
            options.MaxConcurrentActivities,
            options.MaxConcurrentOrchestrations,
            loggerFactory.CreateLogger<EngineOrchestrationService>(),
            renewal);
    }

    internal static AzureStorageOrchestrationServiceSettings AzureStorageSettings(EngineOptions options, StorageOptions storage, string workerId, ILoggerFactory loggerFactory) => new()
    {
        TaskHubName = options.TaskHubName,
        PartitionCount = options.PartitionCount,
        WorkerId = workerId,
        MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
        MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
        WorkItemQueueVisibilityTimeout = options.WorkItemVisibilityTimeout,
        ControlQueueVisibilityTimeout = options.ControlQueueVisibilityTimeout,
        MaxQueuePollingInterval = options.MaxQueuePollingInterval,
        // A dead worker's partitions pass to a live one once its lease expires; renewed and sought every third of it.
        LeaseInterval = options.PartitionLeaseInterval,
        LeaseRenewInterval = options.PartitionLeaseInterval / 3,
        LeaseAcquireInterval = options.PartitionLeaseInterval / 3,
        // Scale-out means several processes of the same app on one hub; the app lease would let only one of them work.
        UseAppLease = false,
        ExtendedSessionsEnabled = false,
        StorageAccountClientProvider = ClientProvider(options, storage),
        LoggerFactory = loggerFactory,
    };

    private static StorageAccountClientProvider ClientProvider(EngineOptions options, StorageOptions storage)
    {
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            return new StorageAccountClientProvider(storage.ConnectionString);
        }

        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = storage.ManagedIdentityClientId });
        return new StorageAccountClientProvider(
            storage.BlobServiceUri!,
            EngineOptionsValidator.QueueServiceUriFor(options, storage)!,
            storage.TableServiceUri!,
            credential);
    }
}
