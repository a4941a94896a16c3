using WildLong.Infra.Tests.Support;

namespace WildLong.Infra.Tests;

/// <summary>No keys anywhere: storage refuses shared keys and public blobs, the model refuses local keys.</summary>
[Collection(InfraCollection.Name)]
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
}
