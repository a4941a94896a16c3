using System.Text.Json;
using WildLong.Infra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace WildLong.Infra.Tests;

/// <summary>azure.yaml and main.parameters.json agree with the repository and the template azd deploys.</summary>
[Collection(InfraCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Bicep)]
public sealed class DeploymentFilesTests(CompiledTemplate template)
{
    [Fact]
    public void Azure_yaml_deploys_an_existing_dotnet_project_as_a_function_app()
    {
        var root = LoadAzureYaml();
        var service = (YamlMappingNode)((YamlMappingNode)root["services"])["functions"];

        var project = ((YamlScalarNode)service["project"]).Value!;
        var projectDirectory = Path.GetFullPath(Path.Combine(InfraPaths.RepositoryRoot, project));

        Assert.Equal("dotnet", ((YamlScalarNode)service["language"]).Value);
        Assert.Equal("function", ((YamlScalarNode)service["host"]).Value);
        Assert.True(Directory.Exists(projectDirectory), $"azure.yaml names '{project}', which does not exist at {projectDirectory}");
        Assert.NotEmpty(Directory.EnumerateFiles(projectDirectory, "*.csproj"));
    }

    [Fact]
    public void Azure_yaml_points_at_the_bicep_main_template()
    {
        var infra = (YamlMappingNode)LoadAzureYaml()["infra"];

        var path = ((YamlScalarNode)infra["path"]).Value!;
        var module = ((YamlScalarNode)infra["module"]).Value!;

        Assert.Equal("bicep", ((YamlScalarNode)infra["provider"]).Value);
        Assert.True(File.Exists(Path.Combine(InfraPaths.RepositoryRoot, path, module + ".bicep")));
        Assert.True(File.Exists(Path.Combine(InfraPaths.RepositoryRoot, path, module + ".parameters.json")));
    }

    [Fact]
    public void Parameters_file_feeds_only_real_parameters_and_every_required_one()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(InfraPaths.InfraDirectory, "main.parameters.json")));
        var given = file.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        var declared = template.Root.GetProperty("parameters").EnumerateObject().ToList();

        var unknown = given.Keys.Except(declared.Select(p => p.Name), StringComparer.Ordinal).ToList();
        var missing = declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _) && !given.ContainsKey(p.Name)).Select(p => p.Name).ToList();

        Assert.Empty(unknown);
        Assert.Empty(missing);
        Assert.Equal("${AZURE_ENV_NAME}", given["environmentName"].GetProperty("value").GetString());
        Assert.Equal("${AZURE_LOCATION}", given["location"].GetProperty("value").GetString());
    }

    [Fact]
    public void Template_outputs_what_azd_and_the_readme_use()
    {
        var outputs = template.Root.GetProperty("outputs").EnumerateObject().Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "AZURE_FUNCTION_APP_NAME", "AZURE_FUNCTION_APP_URL", "AZURE_STORAGE_ACCOUNT_NAME", "AZURE_OPENAI_ENDPOINT",
                "AZURE_RESOURCE_GROUP", "AZURE_LOCATION", "AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID",
            },
            outputs);
    }

    private static YamlMappingNode LoadAzureYaml()
    {
        using var reader = new StreamReader(Path.Combine(InfraPaths.RepositoryRoot, "azure.yaml"));
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
