using System.Text.Json;
using WildLong.Infra.Tests.Support;

namespace WildLong.Infra.Tests;

/// <summary>No keys anywhere: storage refuses shared keys and public blobs, the model refuses local keys.</summary>
[Collection(InfraCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Bicep)]
public sealed class SecurityTests(CompiledTemplate template)
{
    [Fact]
    public void Storage_account_accepts_only_entra_id_over_tls12_and_no_public_blobs()
    {
        var properties = Assert.Single(template.Resources("Microsoft.Storage/storageAccounts")).GetProperty("properties");

        Assert.False(properties.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(properties.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal("TLS1_2", properties.GetProperty("minimumTlsVersion").GetString());
    }

    [Fact]
    public void Azure_openai_account_disables_local_auth_and_deploys_global_standard()
    {
        var account = Assert.Single(template.Resources("Microsoft.CognitiveServices/accounts"));
        Assert.Equal("OpenAI", account.GetProperty("kind").GetString());
        Assert.True(account.GetProperty("properties").GetProperty("disableLocalAuth").GetBoolean());
        Assert.True(account.GetProperty("properties").TryGetProperty("customSubDomainName", out _));

        var deployment = Assert.Single(template.Resources("Microsoft.CognitiveServices/accounts/deployments"));
        Assert.Equal("GlobalStandard", deployment.GetProperty("sku").GetProperty("name").GetString());
    }

    [Fact]
    public void Identity_gets_blob_owner_queue_and_table_contributor_and_openai_user()
    {
        // Role ids stay literal in the compiled template (arrays of ids, or the id itself).
        var text = template.Root.GetRawText();

        Assert.Contains("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", text, StringComparison.Ordinal); // Storage Blob Data Owner
        Assert.Contains("974c5e8b-45b9-4653-ba55-5f855dd0fb88", text, StringComparison.Ordinal); // Storage Queue Data Contributor
        Assert.Contains("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", text, StringComparison.Ordinal); // Storage Table Data Contributor
        Assert.Contains("5e0bd9bd-7b93-4f28-af87-19fc36ad61bd", text, StringComparison.Ordinal); // Cognitive Services OpenAI User
    }

    [Fact]
    public void Application_insights_accepts_only_entra_id_ingestion()
    {
        var component = Assert.Single(template.Resources("Microsoft.Insights/components"));

        Assert.True(component.GetProperty("properties").GetProperty("DisableLocalAuth").GetBoolean());
    }

    [Fact]
    public void Identity_may_publish_telemetry_to_application_insights_and_the_app_says_so()
    {
        // Monitoring Metrics Publisher, granted to the app identity on the Application Insights component.
        const string publisher = "3913510d-42f4-4e42-8a64-420c390055eb";
        var assignment = Assert.Single(
            template.Resources("Microsoft.Authorization/roleAssignments"),
            candidate => candidate.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!.Contains(publisher, StringComparison.Ordinal)
                || RoleVariable(candidate) == publisher);
        Assert.Equal("[parameters('identityPrincipalId')]", assignment.GetProperty("properties").GetProperty("principalId").GetString());
        Assert.Contains("Microsoft.Insights/components", assignment.GetProperty("scope").GetString(), StringComparison.Ordinal);

        // The host and the worker's exporter (TelemetryAuthentication) sign in as that identity.
        var settings = Assert.Single(template.Resources("Microsoft.Web/sites")).GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings")
            .EnumerateArray().ToDictionary(setting => setting.GetProperty("name").GetString()!, setting => setting.GetProperty("value").GetString());
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AZURE_CLIENT_ID"]);
    }

    /// <summary>The role id of an assignment whose roleDefinitionId refers to a module variable, resolved in that module.</summary>
    private string? RoleVariable(JsonElement assignment)
    {
        var definition = assignment.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!;
        var start = definition.IndexOf("variables('", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var name = definition[(start + "variables('".Length)..definition.IndexOf("')", start, StringComparison.Ordinal)];
        return template.Resources("Microsoft.Resources/deployments")
            .Select(module => module.GetProperty("properties").GetProperty("template"))
            .Where(module => module.TryGetProperty("variables", out var variables) && variables.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                && module.GetProperty("resources").GetRawText().Contains(assignment.GetProperty("name").GetString()!, StringComparison.Ordinal))
            .Select(module => module.GetProperty("variables").GetProperty(name).GetString())
            .FirstOrDefault();
    }
}
