using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Azure.Functions.Worker.Http;

namespace WildLong.Functions.Http;

/// <summary>
/// The HTTP API's JSON: camelCase like Durable's management payload it sits next to, enums as strings, unknown request
/// properties rejected (a misspelt "pair" is a 400, not a silent default). Also writes JSON and error responses.
/// </summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Reads a JSON request body; a null result with the reason when it is missing or malformed.</summary>
    public static async Task<(T? Body, string? Error)> ReadBodyAsync<T>(HttpRequestData request, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "the request body is empty: send a JSON object");
        }

        try
        {
            var body = JsonSerializer.Deserialize<T>(text, Options);
            return body is null ? (null, "the request body must be a JSON object, not null") : (body, null);
        }
        catch (JsonException ex)
        {
            return (null, $"the request body is not valid JSON for this endpoint: {ex.Message}");
        }
    }

    public static async Task<HttpResponseData> WriteAsync(HttpRequestData request, HttpStatusCode status, object value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.WriteStringAsync(JsonSerializer.Serialize(value, value.GetType(), Options), cancellationToken);
        return response;
    }

    public static Task<HttpResponseData> ErrorAsync(HttpRequestData request, HttpStatusCode status, string message, CancellationToken cancellationToken)
        => WriteAsync(request, status, new ApiError(message), cancellationToken);

    /// <summary>The absolute URL of an API path on the host that received <paramref name="request"/>.</summary>
    public static string Url(HttpRequestData request, string path)
        => request.Url.GetLeftPart(UriPartial.Authority) + "/api/" + path.TrimStart('/');
}
