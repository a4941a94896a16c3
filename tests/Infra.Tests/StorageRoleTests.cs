using System.Text.Json;
using System.Text.RegularExpressions;
using WildLong.Infra.Tests.Support;

namespace WildLong.Infra.Tests;

/// <summary>
/// Who may do what on the storage account, read from the storage module's role-assignment loops: the app identity
/// runs the host and the pipeline; the deploying user uploads inputs and runs `wildlong run` / `wildlong worker`
/// (Durable Task queues and tables, pipeline blobs) against the same account, as infra/README.md says.
/// </summary>
[Collection(InfraCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Bicep)]
public sealed partial class StorageRoleTests(CompiledTemplate template)
{
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";

    [Fact]
    public void Deployer_gets_blob_queue_and_table_data_contributor()
    {
        Assert.Equal(
            new HashSet<string> { BlobDataContributor, QueueDataContributor, TableDataContributor },
            RolesGrantedTo("[parameters('userPrincipalId')]", out var assignment));

        // Only when azd knows the user, as the user's own principal type, and fed from main's principalId.
        Assert.Equal("[not(empty(parameters('userPrincipalId')))]", assignment.GetProperty("condition").GetString());
        Assert.Equal("[parameters('userPrincipalType')]", assignment.GetProperty("properties").GetProperty("principalType").GetString());
        var parameters = StorageModule().GetProperty("properties").GetProperty("parameters");
        Assert.Equal("[parameters('principalId')]", parameters.GetProperty("userPrincipalId").GetProperty("value").GetString());
        Assert.Equal("[parameters('principalType')]", parameters.GetProperty("userPrincipalType").GetProperty("value").GetString());
    }

    [Fact]
    public void App_identity_gets_blob_owner_queue_and_table_data_contributor()
    {
        Assert.Equal(
            new HashSet<string> { BlobDataOwner, QueueDataContributor, TableDataContributor },
            RolesGrantedTo("[parameters('identityPrincipalId')]", out _));
    }

    /// <summary>The role ids of the storage module's assignment loop whose principal is <paramref name="principal"/>.</summary>
    private HashSet<string> RolesGrantedTo(string principal, out JsonElement assignment)
    {
        var module = StorageModule().GetProperty("properties").GetProperty("template");
        var resources = module.GetProperty("resources");
        var all = resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(p => p.Value) : resources.EnumerateArray();
        assignment = Assert.Single(all, resource =>
            resource.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments"
            && resource.GetProperty("properties").GetProperty("principalId").GetString() == principal);

        // copy.count is "[length(variables('<list>'))]"; the list holds "[variables('roles').<name>]" entries.
        var list = VariableName().Match(assignment.GetProperty("copy").GetProperty("count").GetString()!).Groups[1].Value;
        var variables = module.GetProperty("variables");
        var roles = variables.GetProperty("roles");
        return [.. variables.GetProperty(list).EnumerateArray().Select(entry => roles.GetProperty(RoleName().Match(entry.GetString()!).Groups[1].Value).GetString()!)];
    }

    private JsonElement StorageModule() => Assert.Single(
        template.Resources("Microsoft.Resources/deployments"),
        deployment => deployment.GetProperty("name").GetString() == "storage");

    [GeneratedRegex(@"variables\('([A-Za-z]+)'\)")]
    private static partial Regex VariableName();

    [GeneratedRegex(@"^\[variables\('roles'\)\.([A-Za-z]+)\]$")]
    private static partial Regex RoleName();
}
