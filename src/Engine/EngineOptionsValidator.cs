using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WildLong.Storage;

namespace WildLong.Engine;

/// <summary>
/// Turns a wrong engine configuration into a start-up error that names the key, instead of a task hub that Azure
/// Storage rejects on first use or an engine that silently runs one activity at a time. The azure-storage backend
/// also needs <c>WildLong:Storage</c>, so that is checked here too.
/// </summary>
public sealed partial class EngineOptionsValidator(IOptions<StorageOptions> storage) : IValidateOptions<EngineOptions>
{
    private const string Prefix = EngineOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, EngineOptions options)
    {
        var errors = Errors(options, storage.Value);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem with <paramref name="options"/>, each naming its key; empty when valid.</summary>
    public static IReadOnlyList<string> Errors(EngineOptions options, StorageOptions? storage)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var backend = options.Backend?.Trim().ToLowerInvariant();
        if (backend is null || !EngineBackends.All.Contains(backend))
        {
            errors.Add($"{Prefix}Backend must be one of {string.Join(", ", EngineBackends.All)} (was '{options.Backend}').");
        }

        if (options.TaskHubName is null || !TaskHubNamePattern().IsMatch(options.TaskHubName))
        {
            errors.Add($"{Prefix}TaskHubName must be 3 to 45 letters or digits starting with a letter (was '{options.TaskHubName}').");
        }

        if (options.PartitionCount is < 1 or > 16)
        {
            errors.Add($"{Prefix}PartitionCount must be between 1 and 16 (was {options.PartitionCount}).");
        }

        if (options.MaxConcurrentActivities is < 1 or > 1000)
        {
            errors.Add($"{Prefix}MaxConcurrentActivities must be between 1 and 1000 (was {options.MaxConcurrentActivities}).");
        }

        if (options.MaxConcurrentOrchestrations is < 1 or > 1000)
        {
            errors.Add($"{Prefix}MaxConcurrentOrchestrations must be between 1 and 1000 (was {options.MaxConcurrentOrchestrations}).");
        }

        if (options.WorkItemVisibilityTimeout < TimeSpan.FromSeconds(30) || options.WorkItemVisibilityTimeout > TimeSpan.FromDays(7))
        {
            errors.Add($"{Prefix}WorkItemVisibilityTimeout must be between 00:00:30 and 7.00:00:00 (was {options.WorkItemVisibilityTimeout}); renewed every LockRenewalInterval while an activity runs.");
        }

        if (options.ControlQueueVisibilityTimeout < TimeSpan.FromSeconds(30) || options.ControlQueueVisibilityTimeout > TimeSpan.FromDays(7))
        {
            errors.Add($"{Prefix}ControlQueueVisibilityTimeout must be between 00:00:30 and 7.00:00:00 (was {options.ControlQueueVisibilityTimeout}).");
        }

        if (options.LockRenewalInterval < TimeSpan.FromSeconds(1) || options.LockRenewalInterval * 2 > options.WorkItemVisibilityTimeout)
        {
            errors.Add($"{Prefix}LockRenewalInterval must be at least 00:00:01 and at most half of WorkItemVisibilityTimeout (was {options.LockRenewalInterval}, timeout {options.WorkItemVisibilityTimeout}).");
        }

        if (options.PartitionLeaseInterval < TimeSpan.FromSeconds(15) || options.PartitionLeaseInterval > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{Prefix}PartitionLeaseInterval must be between 00:00:15 and 00:10:00 (was {options.PartitionLeaseInterval}).");
        }

        if (options.MaxQueuePollingInterval < TimeSpan.FromMilliseconds(100) || options.MaxQueuePollingInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{Prefix}MaxQueuePollingInterval must be between 00:00:00.1 and 00:05:00 (was {options.MaxQueuePollingInterval}).");
        }

        if (options.WorkItemStreamPingInterval < TimeSpan.FromMilliseconds(100) || options.WorkItemStreamPingInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{Prefix}WorkItemStreamPingInterval must be between 00:00:00.1 and 00:01:00 (was {options.WorkItemStreamPingInterval}); the worker reconnects after 2 minutes without a message.");
        }

        if (options.ShutdownTimeout < TimeSpan.Zero || options.ShutdownTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{Prefix}ShutdownTimeout must be between 0 and 00:10:00 (was {options.ShutdownTimeout}).");
        }

        if (options.WorkerId is not null && string.IsNullOrWhiteSpace(options.WorkerId))
        {
            errors.Add($"{Prefix}WorkerId must not be blank; leave it unset to generate a unique one per process.");
        }

        if (backend == EngineBackends.AzureStorage)
        {
            StorageErrors(options, storage, errors);
        }

        return errors;
    }

    /// <summary>The queue service URI used with a token credential: explicit, or the blob URI with <c>.blob.</c> replaced by <c>.queue.</c>.</summary>
    public static Uri? QueueServiceUriFor(EngineOptions options, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        if (options.QueueServiceUri is not null)
        {
            return options.QueueServiceUri;
        }

        var blob = storage.BlobServiceUri;
        if (blob is null || !blob.Host.Contains(".blob.", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return new UriBuilder(blob) { Host = blob.Host.Replace(".blob.", ".queue.", StringComparison.OrdinalIgnoreCase) }.Uri;
    }

    private static void StorageErrors(EngineOptions options, StorageOptions? storage, List<string> errors)
    {
        const string storagePrefix = StorageOptions.SectionName + ":";
        if (storage is null || !storage.IsConfigured)
        {
            errors.Add($"The azure-storage engine backend needs storage: set {storagePrefix}ConnectionString (e.g. Azurite) or both {storagePrefix}BlobServiceUri and {storagePrefix}TableServiceUri (managed identity), or set {Prefix}Backend to memory.");
            return;
        }

        if (string.IsNullOrWhiteSpace(storage.ConnectionString) && QueueServiceUriFor(options, storage) is null)
        {
            errors.Add($"The azure-storage engine backend needs a queue service: set {Prefix}QueueServiceUri, since it cannot be derived from {storagePrefix}BlobServiceUri '{storage.BlobServiceUri}'.");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$", RegexOptions.CultureInvariant)]
    private static partial Regex TaskHubNamePattern();
}
