using Azure.Identity;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WildLong.Storage;

/// <summary>
/// One line of hosting code gives every component the same <c>BlobServiceClient</c> and <c>TableServiceClient</c>,
/// built from <see cref="StorageOptions"/>: a connection string locally (Azurite), managed identity in Azure.
/// </summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="StorageOptions"/> from <c>WildLong:Storage</c> and registers the Blob and Table service
    /// clients through <c>Microsoft.Extensions.Azure</c>. Throws when neither a connection string nor both service
    /// URIs are configured, so a misconfigured host fails at start-up rather than on its first write.
    /// </summary>
    public static IServiceCollection AddWildLongStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(StorageOptions.SectionName);
        services.Configure<StorageOptions>(section);
        var options = section.Get<StorageOptions>() ?? new StorageOptions();
        if (!options.IsConfigured)
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set {StorageOptions.SectionName}:ConnectionString (e.g. Azurite) or both {StorageOptions.SectionName}:BlobServiceUri and :TableServiceUri (managed identity).");
        }

        services.AddAzureClients(clients =>
        {
            if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                clients.AddBlobServiceClient(options.ConnectionString);
                clients.AddTableServiceClient(options.ConnectionString);
            }
            else
            {
                clients.AddBlobServiceClient(options.BlobServiceUri!);
                clients.AddTableServiceClient(options.TableServiceUri!);
                clients.UseCredential(new DefaultAzureCredential(new DefaultAzureCredentialOptions
                {
                    ManagedIdentityClientId = options.ManagedIdentityClientId,
                }));
            }
        });
        return services;
    }
}
