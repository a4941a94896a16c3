using WildLong.Infra.Tests.Support;

namespace WildLong.Infra.Tests;

/// <summary>
/// infra/ compiles and lints clean with the packaged Bicep CLI under infra/bicepconfig.json (LintRulesTests): zero
/// errors and zero warnings, the validation possible without Azure.
/// </summary>
[Collection(InfraCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Bicep)]
public sealed class BicepBuildTests(CompiledTemplate template)
{
    public static TheoryData<string> BicepFiles() => [.. InfraPaths.BicepFiles()];

    [Fact]
    public void Main_template_builds_without_errors_or_warnings()
    {
        Assert.True(template.Build.ExitCode == 0, template.Build.ToString());
        Assert.True(string.IsNullOrWhiteSpace(template.Build.StandardError), template.Build.ToString());
        // azd deploys main at subscription scope (it creates the resource group).
        Assert.Contains("subscriptionDeploymentTemplate", template.Root.GetProperty("$schema").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Infra_folder_has_the_main_template_and_modules()
    {
        var files = InfraPaths.BicepFiles();

        Assert.Contains("main.bicep", files);
        Assert.Contains(Path.Combine("modules", "functionapp.bicep"), files);
        Assert.True(files.Count >= 5, string.Join(", ", files));
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Every_bicep_file_lints_clean(string relativePath)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));

        var result = await BicepCli.RunAsync(["lint", Path.Combine(InfraPaths.InfraDirectory, relativePath)], timeout.Token);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("Warning", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", result.StandardError, StringComparison.Ordinal);
        Assert.True(string.IsNullOrWhiteSpace(result.StandardError + result.StandardOutput), result.ToString() + result.StandardOutput);
    }

    [Fact]
    public void Lint_runs_under_the_strict_config()
    {
        // bicep finds bicepconfig.json by walking up from each file: one in infra/ covers every file tested above.
        Assert.True(File.Exists(Path.Combine(InfraPaths.InfraDirectory, "bicepconfig.json")));
        var configs = Directory.EnumerateFiles(InfraPaths.InfraDirectory, "bicepconfig.json", SearchOption.AllDirectories).ToList();
        Assert.Equal([Path.Combine(InfraPaths.InfraDirectory, "bicepconfig.json")], configs);
    }
}
