using System.Text.Json;
using WildLong.Infra.Tests.Support;
using WildLong.Llm;

namespace WildLong.Infra.Tests;

/// <summary>
/// The function app's settings, read from the compiled template, against the code that reads them: every
/// WildLong__* name binds a real settable option, the names the host and code need are all there, and nothing else.
/// </summary>
[Collection(InfraCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Bicep)]
public sealed class AppSettingsTests(CompiledTemplate template)
{
    /// <summary>Settings the app cannot run without (host storage, identity, model, task hub, telemetry).</summary>
    private static readonly string[] Required =
    [
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "AZURE_CLIENT_ID",
        "WildLong__Storage__BlobServiceUri",
        "WildLong__Storage__TableServiceUri",
        "WildLong__Storage__ManagedIdentityClientId",
        "WildLong__Model__Provider",
        "WildLong__Model__Endpoint",
        "WildLong__Model__Deployment",
        "WildLong__Model__UseManagedIdentity",
        "WildLong__Model__ManagedIdentityClientId",
        "WildLong__Model__Tpm",
        "WildLong__Model__Rpm",
        "WildLongTaskHub",
        "WildLongRegenerationSchedule",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    /// <summary>Settings outside the WildLong options that the app may carry besides <see cref="Required"/>.</summary>
    private static readonly string[] AllowedHostSettings = [];

    private static readonly Lazy<OptionsCatalog> Catalog = new(OptionsCatalog.Load);

    [Fact]
    public void Every_required_setting_is_present_once()
    {
        var names = AppSettings().Select(setting => setting.Name).ToList();

        Assert.All(Required, name => Assert.Contains(name, names));
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Every_WildLong_setting_binds_a_settable_option_property()
    {
        var wildLong = AppSettings().Where(setting => setting.Name.StartsWith("WildLong__", StringComparison.Ordinal)).ToList();
        var requiredCount = Required.Count(name => name.StartsWith("WildLong__", StringComparison.Ordinal));
        Assert.True(wildLong.Count >= requiredCount, $"only {wildLong.Count} WildLong__ settings found");

        var failures = new List<string>();
        foreach (var (name, value) in wildLong)
        {
            var property = Catalog.Value.Resolve(name, out var reason);
            if (property is null)
            {
                failures.Add($"{name}: {reason}");
            }
            else if (!IsExpression(value) && !OptionsCatalog.CanHold(property, value))
            {
                failures.Add($"{name}: '{value}' does not convert to {property.PropertyType.Name}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Every_other_setting_is_a_known_host_setting()
    {
        var known = Required.Concat(AllowedHostSettings).ToHashSet(StringComparer.Ordinal);

        var stray = AppSettings()
            .Select(setting => setting.Name)
            .Where(name => !name.StartsWith("WildLong__", StringComparison.Ordinal) && !known.Contains(name))
            .ToList();

        // Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME, WEBSITE_RUN_FROM_PACKAGE, WEBSITE_CONTENT*, and a
        // plain AzureWebJobsStorage connection string would need the shared key this account refuses.
        Assert.Empty(stray);
    }

    [Fact]
    public void Literal_settings_have_the_values_the_code_expects()
    {
        var settings = AppSettings().ToDictionary(setting => setting.Name, setting => setting.Value, StringComparer.Ordinal);

        Assert.Equal(ModelProviders.AzureOpenAI, settings["WildLong__Model__Provider"]);
        Assert.Equal("true", settings["WildLong__Model__UseManagedIdentity"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
    }

    [Fact]
    public void Model_quota_settings_follow_the_deployment_capacity()
    {
        var call = FunctionAppModuleParameters();

        Assert.Equal("[mul(parameters('openAiDeploymentCapacity'), 1000)]", call.GetProperty("modelTpm").GetProperty("value").GetString());
        Assert.Equal("[mul(parameters('openAiDeploymentCapacity'), 6)]", call.GetProperty("modelRpm").GetProperty("value").GetString());
    }

    [Fact]
    public void Function_app_runs_dotnet_isolated_10_on_flex_consumption_with_identity_deployment_storage()
    {
        var plan = Assert.Single(template.Resources("Microsoft.Web/serverfarms"));
        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());

        var config = FunctionApp().GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());

        var deployment = config.GetProperty("deployment").GetProperty("storage");
        Assert.Equal("blobContainer", deployment.GetProperty("type").GetString());
        Assert.Equal("UserAssignedIdentity", deployment.GetProperty("authentication").GetProperty("type").GetString());

        var scale = config.GetProperty("scaleAndConcurrency");
        Assert.Equal("[parameters('maximumInstanceCount')]", scale.GetProperty("maximumInstanceCount").GetString());
        Assert.Equal("[parameters('instanceMemoryMB')]", scale.GetProperty("instanceMemoryMB").GetString());
        Assert.Contains("alwaysReadyInstanceCount", scale.GetProperty("alwaysReady").GetString(), StringComparison.Ordinal);
    }

    private JsonElement FunctionApp() => Assert.Single(template.Resources("Microsoft.Web/sites"));

    private IReadOnlyList<(string Name, string Value)> AppSettings()
    {
        var settings = FunctionApp().GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings");
        Assert.Equal(JsonValueKind.Array, settings.ValueKind);
        return [.. settings.EnumerateArray().Select(setting => (
            setting.GetProperty("name").GetString()!,
            setting.GetProperty("value").ValueKind == JsonValueKind.String ? setting.GetProperty("value").GetString()! : setting.GetProperty("value").GetRawText()))];
    }

    private JsonElement FunctionAppModuleParameters()
    {
        var module = Assert.Single(
            template.Resources("Microsoft.Resources/deployments"),
            deployment => deployment.GetProperty("name").GetString() == "functionapp");
        return module.GetProperty("properties").GetProperty("parameters");
    }

    private static bool IsExpression(string value) => value.StartsWith('[') && !value.StartsWith("[[", StringComparison.Ordinal);
}
