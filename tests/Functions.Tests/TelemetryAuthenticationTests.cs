using Azure.Identity;
using WildLong.Functions.Telemetry;

namespace WildLong.Functions.Tests;

/// <summary>The worker's exporter reads the host's APPLICATIONINSIGHTS_AUTHENTICATION_STRING the same way.</summary>
public sealed class TelemetryAuthenticationTests
{
    [Theory]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD", "11111111-2222-3333-4444-555555555555")]
    [InlineData(" authorization = aad ; clientid = abc ", "abc")]
    [InlineData("Authorization=AAD", null)]
    [InlineData("Authorization=AAD;ClientId=", null)]
    public void Entra_authentication_names_the_identity(string value, string? clientId)
    {
        var authentication = TelemetryAuthentication.Parse(value);

        Assert.NotNull(authentication);
        Assert.Equal(clientId, authentication.ClientId);
        Assert.IsType<ManagedIdentityCredential>(authentication.CreateCredential());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void No_string_means_no_credential(string? value) => Assert.Null(TelemetryAuthentication.Parse(value));

    [Theory]
    [InlineData("ClientId=abc", "no Authorization")]
    [InlineData("Authorization=Key;ClientId=abc", "'Key'")]
    [InlineData("Authorization", "'Authorization' is not Key=Value")]
    public void Anything_but_Entra_is_refused_with_the_setting_named(string value, string reason)
    {
        var error = Assert.Throws<FormatException>(() => TelemetryAuthentication.Parse(value));

        Assert.Contains(TelemetryAuthentication.SettingName, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
