using WildLong.Storage;

namespace WildLong.Engine.Tests;

public sealed class EngineOptionsValidatorTests
{
    private static readonly StorageOptions Azurite = new() { ConnectionString = "UseDevelopmentStorage=true" };

    [Fact]
    public void The_defaults_with_storage_are_valid_and_name_a_hub_distinct_from_the_functions_app()
    {
        var options = new EngineOptions();

        Assert.Empty(EngineOptionsValidator.Errors(options, Azurite));
        Assert.Equal(EngineBackends.AzureStorage, options.Backend);
        Assert.Equal("wildlonglocal", options.TaskHubName);
        // Short locks, renewed while an activity runs: a killed process's work comes back within about 30 s.
        Assert.Equal(TimeSpan.FromSeconds(30), options.WorkItemVisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ControlQueueVisibilityTimeout);
        Assert.True(options.LockRenewalInterval * 2 <= options.WorkItemVisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), options.PartitionLeaseInterval);
        // Well inside the worker's 2-minute silent-disconnect timeout.
        Assert.True(options.WorkItemStreamPingInterval * 4 <= TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void Each_wrong_value_is_reported_with_its_key()
    {
        var options = new EngineOptions
        {
            Backend = "sql",
            TaskHubName = "9-bad",
            PartitionCount = 17,
            MaxConcurrentActivities = 0,
            MaxConcurrentOrchestrations = 0,
            WorkItemVisibilityTimeout = TimeSpan.FromSeconds(1),
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(1),
            PartitionLeaseInterval = TimeSpan.FromSeconds(1),
            WorkerId = " ",
            WorkItemStreamPingInterval = TimeSpan.FromMinutes(2),
        };

        var errors = EngineOptionsValidator.Errors(options, Azurite);

        Assert.Equal(11, errors.Count);
        foreach (var key in new[] { "Backend", "TaskHubName", "PartitionCount", "MaxConcurrentActivities", "MaxConcurrentOrchestrations", "WorkItemVisibilityTimeout", "ControlQueueVisibilityTimeout", "LockRenewalInterval", "PartitionLeaseInterval", "WorkerId", "WorkItemStreamPingInterval" })
        {
            Assert.Contains(errors, e => e.StartsWith($"WildLong:Engine:{key} ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_azure_storage_backend_needs_storage_but_memory_does_not()
    {
        var unconfigured = new StorageOptions();

        var azure = EngineOptionsValidator.Errors(new EngineOptions(), unconfigured);
        var memory = EngineOptionsValidator.Errors(new EngineOptions { Backend = EngineBackends.Memory }, unconfigured);

        Assert.Contains(azure, e => e.Contains("WildLong:Storage:ConnectionString", StringComparison.Ordinal));
        Assert.Empty(memory);
    }

    [Fact]
    public void With_managed_identity_the_queue_uri_is_derived_from_the_blob_uri_or_must_be_given()
    {
        var account = new StorageOptions
        {
            BlobServiceUri = new Uri("https://acct.blob.core.windows.net/"),
            TableServiceUri = new Uri("https://acct.table.core.windows.net/"),
        };
        var custom = new StorageOptions { BlobServiceUri = new Uri("https://blobs.example/"), TableServiceUri = new Uri("https://tables.example/") };

        Assert.Equal(new Uri("https://acct.queue.core.windows.net/"), EngineOptionsValidator.QueueServiceUriFor(new EngineOptions(), account));
        Assert.Empty(EngineOptionsValidator.Errors(new EngineOptions(), account));
        Assert.Contains(EngineOptionsValidator.Errors(new EngineOptions(), custom), e => e.Contains("WildLong:Engine:QueueServiceUri", StringComparison.Ordinal));
        Assert.Empty(EngineOptionsValidator.Errors(new EngineOptions { QueueServiceUri = new Uri("https://queues.example/") }, custom));
    }
}
