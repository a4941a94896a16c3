namespace WildLong.Llm;

/// <summary>
/// Who answers the model calls of a run: the provider, the full endpoint (scheme, host, port and path; the
/// simulator's fresh local port is left out because its answers do not depend on it), the deployment or model name,
/// the API version, and whether the answers are simulated. It is part of every response-cache key and recorded in
/// every cache entry (a hit recorded under another identity is a miss), it is the model part of the run fingerprint,
/// and it decides the dataset's <c>simulated</c> label. <see cref="Simulated"/> is true for the simulator provider and
/// for any endpoint that identified itself as the simulator when probed (<see cref="ModelEndpointProbe"/>).
/// </summary>
public sealed record ModelIdentity(string Provider, string Endpoint, string Deployment, string? ApiVersion, bool Simulated)
{
    /// <summary>The identity of the configured model (not probed: <see cref="Simulated"/> only for the simulator provider).</summary>
    public static ModelIdentity From(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var provider = (options.Provider ?? string.Empty).Trim().ToLowerInvariant();
        var simulator = provider == ModelProviders.Simulator;
        return new ModelIdentity(provider, simulator ? ModelProviders.Simulator : NormalizeEndpoint(options.Endpoint), options.Deployment ?? string.Empty,
            provider == ModelProviders.AzureOpenAI ? options.ApiVersion : null, simulator);
    }

    /// <summary>One line naming the identity, used in cache keys and recorded in cache entries.</summary>
    public string Text => string.Join('|', Provider, Endpoint, Deployment, ApiVersion ?? "-", Simulated ? "simulated" : "real");

    /// <summary>Scheme, host, port and path, lower-case host, no trailing slash, no query (which may carry a key).</summary>
    public static string NormalizeEndpoint(Uri? endpoint)
    {
        if (endpoint is null)
        {
            return "-";
        }

        if (!endpoint.IsAbsoluteUri)
        {
            return endpoint.OriginalString.TrimEnd('/');
        }

        // GetLeftPart drops the port when it is the scheme's default; keep it always, so :80 and :8080 never look alike.
        return $"{endpoint.Scheme}://{endpoint.IdnHost.ToLowerInvariant()}:{endpoint.Port}{endpoint.AbsolutePath.TrimEnd('/')}";
    }

    public override string ToString() => Text;
}
