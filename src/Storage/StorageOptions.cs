namespace WildLong.Storage;

/// <summary>
/// Where the pipeline's blobs and tables live. Locally a connection string (Azurite); in Azure the service URIs
/// with a managed identity (<c>DefaultAzureCredential</c>), so no account key is ever configured there. Container
/// and table names have defaults so one storage account holds a whole deployment.
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "WildLong:Storage";

    /// <summary>A storage connection string (Azurite, or a key-based account); takes precedence over the URIs.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Blob service URI used with <c>DefaultAzureCredential</c> when no connection string is set.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Table service URI used with <c>DefaultAzureCredential</c> when no connection string is set.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; null uses the system-assigned one (or developer sign-in).</summary>
    public string? ManagedIdentityClientId { get; set; }

    public StorageContainerNames Containers { get; set; } = new();

    public StorageTableNames Tables { get; set; } = new();

    /// <summary>True when <see cref="ConnectionString"/> or both service URIs are set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || (BlobServiceUri is not null && TableServiceUri is not null);
}
