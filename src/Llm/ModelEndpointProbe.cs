using System.Net.Http.Headers;
using System.Text.Json;

namespace WildLong.Llm;

/// <summary>
/// A cheap reachability check of the configured model endpoint before a run starts, so a dead endpoint fails in
/// seconds with one line instead of after storage, the engine and the first retries: one GET of the models list
/// (OpenAI-compatible servers and the simulator) or of the resource root (Azure OpenAI) with a short timeout. Any
/// HTTP answer, even 401, means something listens; a refused connection, a name that does not resolve or a
/// timeout means nothing does; so does a 404 from an OpenAI-compatible endpoint's models list (a wrong base URL, on
/// which every call would fail). A models list owned by <c>wildlong-simulator</c> marks the endpoint as the simulator,
/// whatever provider the configuration names.
/// </summary>
public static class ModelEndpointProbe
{
    /// <summary>How long the probe waits for an answer by default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private const string SimulatorOwner = "wildlong-simulator";

    /// <summary>Probes the endpoint of <paramref name="options"/>; never throws for network trouble (see the result).</summary>
    public static async Task<ModelEndpointProbeResult> ProbeAsync(ModelOptions options, TimeSpan timeout, HttpMessageHandler? handler = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Endpoint is not { IsAbsoluteUri: true } endpoint)
        {
            return new ModelEndpointProbeResult(false, false, "no absolute endpoint configured");
        }

        var provider = options.Provider.Trim().ToLowerInvariant();
        var target = provider switch
        {
            ModelProviders.AzureOpenAI => endpoint,
            ModelProviders.Simulator => new Uri(WithSlash(endpoint), endpoint.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? "models" : "v1/models"),
            _ => new Uri(WithSlash(endpoint), "models"),
        };

        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.Timeout = Timeout.InfiniteTimeSpan;
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        if (provider != ModelProviders.AzureOpenAI)
        {
            var key = string.IsNullOrWhiteSpace(options.ApiKey) ? ChatClientFactory.SimulatorDefaultKey : options.ApiKey;
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timer.Token);
            if (provider != ModelProviders.AzureOpenAI && response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Something listens, but no OpenAI API is there: every call of the run would fail the same way.
                return new ModelEndpointProbeResult(false, false, $"GET {target} answers 404, so this is not the base URL of an OpenAI-compatible API (it usually ends with /v1)");
            }

            var simulator = response.IsSuccessStatusCode && IsSimulatorList(await response.Content.ReadAsStringAsync(timer.Token));
            return new ModelEndpointProbeResult(true, simulator, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ModelEndpointProbeResult(false, false, $"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return new ModelEndpointProbeResult(false, false, (ex.InnerException ?? ex).Message);
        }
    }

    private static Uri WithSlash(Uri endpoint)
        => endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");

    private static bool IsSimulatorList(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                && data.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("owned_by", out var owner)
                    && owner.ValueKind == JsonValueKind.String && owner.GetString() == SimulatorOwner);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
