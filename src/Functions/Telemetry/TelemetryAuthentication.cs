using Azure.Core;
using Azure.Identity;

namespace WildLong.Functions.Telemetry;

/// <summary>
/// How the worker's Azure Monitor exporter signs in, read from <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>: the
/// setting the Functions host itself uses for Microsoft Entra ingestion (<c>Authorization=AAD;ClientId=&lt;client id of a
/// user-assigned identity&gt;</c>, no ClientId for the system-assigned one). With local authentication off on the
/// Application Insights resource, telemetry sent with only the connection string's instrumentation key is refused,
/// so the exporter must get the same managed identity as the host.
/// </summary>
/// <param name="ClientId">Client id of the user-assigned identity; null for the system-assigned identity.</param>
public sealed record TelemetryAuthentication(string? ClientId)
{
    /// <summary>The app setting (environment variable) holding the authentication string.</summary>
    public const string SettingName = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>
    /// Parses the authentication string. Returns null when it is empty (the exporter then sends with the
    /// connection string alone, as against a resource with local authentication on).
    /// </summary>
    /// <exception cref="FormatException">The string is not <c>Key=Value</c> pairs, or does not ask for <c>Authorization=AAD</c>.</exception>
    public static TelemetryAuthentication? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string? authorization = null;
        string? clientId = null;
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                throw new FormatException($"{SettingName}: '{part}' is not Key=Value.");
            }

            var key = part[..separator].Trim();
            var item = part[(separator + 1)..].Trim();
            if (key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                authorization = item;
            }
            else if (key.Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            {
                clientId = item.Length == 0 ? null : item;
            }
        }

        return string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase)
            ? new TelemetryAuthentication(clientId)
            : throw new FormatException($"{SettingName} must contain Authorization=AAD (found '{authorization ?? "no Authorization"}').");
    }

    /// <summary>The managed identity credential the exporter sends telemetry with.</summary>
    public TokenCredential CreateCredential() =>
        new ManagedIdentityCredential(ClientId is null
            ? ManagedIdentityId.SystemAssigned
            : ManagedIdentityId.FromUserAssignedClientId(ClientId));
}
