using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WildLong.Llm.Quota;

namespace WildLong.Storage.Quota;

/// <summary>Registers quota sharing between the worker processes of one storage account.</summary>
public static class QuotaSharingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Table Storage quota pool and the hosted service that keeps this process's limiter at its part of the
    /// deployment's quota among the live workers (by demand, long calls in turns; off with
    /// <c>WildLong:Model:ShareQuota=false</c>). Call after
    /// <c>AddWildLongModel</c> and <c>AddWildLongStorage</c>.
    /// </summary>
    public static IServiceCollection AddWildLongQuotaSharing(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IQuotaShareStore, TableQuotaShareStore>();
        services.AddHostedService<QuotaShareService>();
        return services;
    }
}
