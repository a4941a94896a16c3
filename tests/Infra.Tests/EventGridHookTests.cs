using System.Text.Json;
using System.Text.RegularExpressions;
using WildLong.Infra.Tests.Support;
using WildLong.Storage;
using YamlDotNet.RepresentationModel;

namespace WildLong.Infra.Tests;

/// <summary>
/// One `azd up` wires blob uploads: provisioning never needs the blobs_extension key, and azure.yaml's postdeploy
/// hook (sh and pwsh) waits for the key and deploys modules/eventgrid-subscriptions.bicep with
/// eventgrid-subscriptions.bicepparam, whose subscriptions dead-letter to a container the topic may write to.
/// </summary>
[Collection(InfraCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Bicep)]
public sealed partial class EventGridHookTests(CompiledTemplate template)
{
    private const string SubscriptionsModule = "modules/eventgrid-subscriptions.bicep";
    private const string SubscriptionsParameters = "eventgrid-subscriptions.bicepparam";
    private const string KeyQuery = "systemKeys.blobs_extension != `null`";
    private const string BlobDataContributorRoleId = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

    [Fact]
    public void Azure_yaml_runs_a_postdeploy_hook_for_both_shells_from_existing_scripts()
    {
        var postdeploy = (YamlMappingNode)((YamlMappingNode)LoadAzureYaml()["hooks"])["postdeploy"];

        var posix = (YamlMappingNode)postdeploy["posix"];
        var windows = (YamlMappingNode)postdeploy["windows"];

        Assert.Equal("sh", Scalar(posix, "shell"));
        Assert.Equal("pwsh", Scalar(windows, "shell"));
        Assert.Equal("infra/hooks/postdeploy.sh", Path.GetRelativePath(InfraPaths.RepositoryRoot, Path.GetFullPath(Path.Combine(InfraPaths.RepositoryRoot, Scalar(posix, "run")))).Replace('\\', '/'));
        Assert.Equal("infra/hooks/postdeploy.ps1", Path.GetRelativePath(InfraPaths.RepositoryRoot, Path.GetFullPath(Path.Combine(InfraPaths.RepositoryRoot, Scalar(windows, "run")))).Replace('\\', '/'));
        Assert.True(File.Exists(PosixHook.ScriptPath));
        Assert.True(File.Exists(WindowsHookPath));
    }

    [Fact]
    public void Provisioning_no_longer_deploys_subscriptions_or_takes_the_old_flag()
    {
        // Subscriptions in main.bicep would need the key before the code exists (the old first-deploy failure).
        Assert.Empty(template.Resources("Microsoft.EventGrid/systemTopics/eventSubscriptions"));
        Assert.False(template.Root.GetProperty("parameters").TryGetProperty("deployEventGridSubscriptions", out _));
        Assert.DoesNotContain("WILDLONG_EVENTGRID_SUBSCRIPTIONS", File.ReadAllText(Path.Combine(InfraPaths.InfraDirectory, "main.parameters.json")), StringComparison.Ordinal);
        Assert.DoesNotContain("blobs_extension", template.Root.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posix_hook_waits_for_the_key_then_deploys_the_subscription_module_with_its_parameters()
    {
        var run = await PosixHook.RunAsync(PosixHook.AzdEnvironment(), keyPresent: "true");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.AzCalls.Count);
        var keyCheck = run.AzCalls[0];
        Assert.StartsWith("functionapp keys list", keyCheck, StringComparison.Ordinal);
        Assert.Contains(KeyQuery, keyCheck, StringComparison.Ordinal);
        Assert.Contains("-n func-wildlong-test", keyCheck, StringComparison.Ordinal);
        Assert.Contains("-g rg-test", keyCheck, StringComparison.Ordinal);

        var deploy = run.AzCalls[1];
        Assert.StartsWith("deployment group create", deploy, StringComparison.Ordinal);
        Assert.Contains("--subscription 00000000-0000-0000-0000-000000000001", deploy, StringComparison.Ordinal);
        Assert.Contains("-g rg-test", deploy, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(InfraPaths.InfraDirectory, SubscriptionsModule), Path.GetFullPath(Argument(deploy, "--template-file")));
        Assert.Equal(Path.Combine(InfraPaths.InfraDirectory, SubscriptionsParameters), Path.GetFullPath(Argument(deploy, "--parameters")));
        // The key is read inside the deployment, never handed over on the command line.
        Assert.DoesNotContain("code=", deploy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posix_hook_fails_without_deploying_when_the_key_never_appears()
    {
        var environment = PosixHook.AzdEnvironment();
        environment["WILDLONG_HOOK_KEY_ATTEMPTS"] = "1";

        var run = await PosixHook.RunAsync(environment, keyPresent: "false");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("blobs_extension", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(run.AzCalls, call => call.StartsWith("deployment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Posix_hook_names_a_missing_azd_value_and_calls_nothing()
    {
        var environment = PosixHook.AzdEnvironment();
        environment.Remove("WILDLONG_EVENTGRID_TOPIC_NAME");

        var run = await PosixHook.RunAsync(environment, keyPresent: "true");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("WILDLONG_EVENTGRID_TOPIC_NAME", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(run.AzCalls);
    }

    [Theory]
    [InlineData("true", 2)]
    [InlineData("false", 0)]
    public async Task Subscriptions_flag_true_is_harmless_and_false_opts_out(string flag, int expectedAzCalls)
    {
        var environment = PosixHook.AzdEnvironment();
        environment["WILDLONG_EVENTGRID_SUBSCRIPTIONS"] = flag;

        var run = await PosixHook.RunAsync(environment, keyPresent: "true");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(expectedAzCalls, run.AzCalls.Count);
    }

    [Fact]
    public void Windows_hook_makes_the_same_calls_and_checks_the_same_values()
    {
        var script = File.ReadAllText(WindowsHookPath);
        var posix = File.ReadAllText(PosixHook.ScriptPath);

        Assert.Contains("az functionapp keys list", script, StringComparison.Ordinal);
        Assert.Contains($"'{KeyQuery}'", script, StringComparison.Ordinal);
        Assert.Contains("az deployment group create", script, StringComparison.Ordinal);
        Assert.Contains($"'{SubscriptionsModule}'", script, StringComparison.Ordinal);
        Assert.Contains($"'{SubscriptionsParameters}'", script, StringComparison.Ordinal);
        Assert.Contains("$LASTEXITCODE", script, StringComparison.Ordinal);
        Assert.Contains("WILDLONG_EVENTGRID_SUBSCRIPTIONS", script, StringComparison.Ordinal);
        Assert.All(PosixHook.AzdEnvironment().Keys, name =>
        {
            Assert.Contains($"'{name}'", script, StringComparison.Ordinal);
            Assert.Contains(name, posix, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Parameters_file_reads_only_values_azd_has_and_the_hooks_check()
    {
        var parameters = File.ReadAllText(Path.Combine(InfraPaths.InfraDirectory, SubscriptionsParameters));
        var read = EnvironmentReads().Matches(parameters).Select(match => match.Groups[1].Value).ToList();
        var outputs = template.Root.GetProperty("outputs").EnumerateObject().Select(output => output.Name).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(read);
        Assert.All(read, name =>
        {
            Assert.Contains(name, outputs);
            Assert.Contains(name, PosixHook.AzdEnvironment().Keys);
        });

        var (values, _) = await BuildSubscriptionParametersAsync();
        Assert.Equal("evgt-wildlong-test", values.GetProperty("topicName").GetProperty("value").GetString());
        Assert.Equal("func-wildlong-test", values.GetProperty("functionAppName").GetProperty("value").GetString());
        Assert.Equal("stwltest", values.GetProperty("storageAccountName").GetProperty("value").GetString());
        Assert.Equal("eventgrid-deadletter", values.GetProperty("deadLetterContainerName").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Subscriptions_route_queries_and_documents_to_existing_blob_functions()
    {
        var (values, _) = await BuildSubscriptionParametersAsync();
        var routes = values.GetProperty("triggers").GetProperty("value").EnumerateArray()
            .Select(route => (Container: route.GetProperty("container").GetString()!, Function: route.GetProperty("functionName").GetString()!))
            .ToList();
        var containers = new StorageContainerNames();
        var declared = FunctionNames().Matches(File.ReadAllText(Path.Combine(InfraPaths.RepositoryRoot, "src", "Functions", "Triggers", "BlobUploadFunctions.cs")))
            .Select(match => match.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal([(containers.Queries, "QueryShardUploaded"), (containers.Documents, "DocumentUploaded")], routes);
        Assert.All(routes, route => Assert.Contains(route.Function, declared));
    }

    [Fact]
    public async Task Subscriptions_dead_letter_with_the_topic_identity_to_the_provisioned_container()
    {
        var (values, subscriptionsTemplate) = await BuildSubscriptionParametersAsync();
        var subscription = subscriptionsTemplate.GetProperty("resources").GetProperty("subscriptions").GetProperty("properties");

        var deadLetter = subscription.GetProperty("deadLetterWithResourceIdentity");
        Assert.Equal("SystemAssigned", deadLetter.GetProperty("identity").GetProperty("type").GetString());
        var destination = deadLetter.GetProperty("deadLetterDestination");
        Assert.Equal("StorageBlob", destination.GetProperty("endpointType").GetString());
        Assert.Equal("[parameters('deadLetterContainerName')]", destination.GetProperty("properties").GetProperty("blobContainerName").GetString());
        Assert.Contains("blobs_extension", subscription.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString(), StringComparison.Ordinal);

        // main.bicep creates that container and gives the topic's system identity Blob Data Contributor on it.
        var deadLetterContainer = values.GetProperty("deadLetterContainerName").GetProperty("value").GetString();
        Assert.Equal(deadLetterContainer, template.Root.GetProperty("variables").GetProperty("storageNames").GetProperty("eventGridDeadLetterContainer").GetString());
        var storageModule = Assert.Single(
            template.Resources("Microsoft.Resources/deployments"),
            deployment => deployment.GetProperty("name").GetString() == "storage");
        Assert.Contains(
            "variables('storageNames').eventGridDeadLetterContainer",
            storageModule.GetProperty("properties").GetProperty("parameters").GetProperty("containerNames").GetProperty("value").GetRawText(),
            StringComparison.Ordinal);
        var topicModule = Assert.Single(
            template.Resources("Microsoft.Resources/deployments"),
            deployment => deployment.GetProperty("name").GetString() == "eventgrid-topic").GetProperty("properties").GetProperty("template");
        var writerResource = Assert.Single(
            ModuleResources(topicModule),
            resource => resource.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments");
        var writer = writerResource.GetProperty("properties");
        Assert.Equal(BlobDataContributorRoleId, topicModule.GetProperty("variables").GetProperty("blobDataContributorRoleId").GetString());
        Assert.Contains("variables('blobDataContributorRoleId')", writer.GetProperty("roleDefinitionId").GetString(), StringComparison.Ordinal);
        var topicResource = Assert.Single(ModuleResources(topicModule), resource => resource.GetProperty("type").GetString() == "Microsoft.EventGrid/systemTopics");
        Assert.Equal("SystemAssigned", topicResource.GetProperty("identity").GetProperty("type").GetString());
        Assert.Matches(@"^\[reference\((resourceId\('Microsoft\.EventGrid/systemTopics'|'topic').*\)\.identity\.principalId\]$", writer.GetProperty("principalId").GetString());
        var scope = writerResource.GetProperty("scope").GetString();
        Assert.Contains("containers', parameters('storageAccountName'), 'default', parameters('deadLetterContainerName'))", scope, StringComparison.Ordinal);
        Assert.Equal(
            "[variables('storageNames').eventGridDeadLetterContainer]",
            Assert.Single(
                template.Resources("Microsoft.Resources/deployments"),
                deployment => deployment.GetProperty("name").GetString() == "eventgrid-topic")
                .GetProperty("properties").GetProperty("parameters").GetProperty("deadLetterContainerName").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Subscription_module_and_parameters_lint_clean()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await BicepCli.RunAsync(
            ["lint", Path.Combine(InfraPaths.InfraDirectory, SubscriptionsParameters)], PosixHook.AzdEnvironment(), timeout.Token);

        Assert.True(result.ExitCode == 0 && string.IsNullOrWhiteSpace(result.StandardError + result.StandardOutput), result + result.StandardOutput);
    }

    /// <summary>A module template's resources in either layout (array, or symbolic names with languageVersion 2.0).</summary>
    private static IEnumerable<JsonElement> ModuleResources(JsonElement module)
    {
        var resources = module.GetProperty("resources");
        return resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(p => p.Value) : resources.EnumerateArray();
    }

    private static string WindowsHookPath => Path.Combine(InfraPaths.InfraDirectory, "hooks", "postdeploy.ps1");

    /// <summary>The .bicepparam compiled once with the azd values (parameters and the module's template) for every test here.</summary>
    private static readonly Lazy<Task<(JsonElement Parameters, JsonElement Template)>> SubscriptionBuild = new(CompileSubscriptionParametersAsync);

    private static Task<(JsonElement Parameters, JsonElement Template)> BuildSubscriptionParametersAsync() => SubscriptionBuild.Value;

    private static async Task<(JsonElement Parameters, JsonElement Template)> CompileSubscriptionParametersAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await BicepCli.RunAsync(
            ["build-params", Path.Combine(InfraPaths.InfraDirectory, SubscriptionsParameters), "--stdout"], PosixHook.AzdEnvironment(), timeout.Token);
        Assert.True(result.ExitCode == 0, result.ToString());

        using var output = JsonDocument.Parse(result.StandardOutput);
        using var parameters = JsonDocument.Parse(output.RootElement.GetProperty("parametersJson").GetString()!);
        using var compiled = JsonDocument.Parse(output.RootElement.GetProperty("templateJson").GetString()!);
        return (parameters.RootElement.GetProperty("parameters").Clone(), compiled.RootElement.Clone());
    }

    private static string Argument(string call, string option)
    {
        var parts = call.Split(' ');
        var index = Array.IndexOf(parts, option);
        Assert.True(index >= 0 && index + 1 < parts.Length, $"'{option}' missing in: {call}");
        return parts[index + 1];
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    private static YamlMappingNode LoadAzureYaml()
    {
        using var reader = new StreamReader(Path.Combine(InfraPaths.RepositoryRoot, "azure.yaml"));
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [GeneratedRegex(@"readEnvironmentVariable\('([A-Z0-9_]+)'")]
    private static partial Regex EnvironmentReads();

    [GeneratedRegex(@"\[Function\(""([A-Za-z0-9_]+)""\)\]")]
    private static partial Regex FunctionNames();
}
