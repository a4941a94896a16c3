using System.Text.Json;
using WildLong.Infra.Tests.Support;

namespace WildLong.Infra.Tests;

/// <summary>
/// infra/bicepconfig.json makes the linter strict (stale API versions, untyped object/array parameters, unused
/// declarations... are errors), and the packaged Bicep CLI really applies it: a probe file breaking one rule, linted
/// beside a copy of the config, fails with that rule. Together with BicepBuildTests (every file lints with zero
/// diagnostics) the templates stay on current API versions and user-defined types.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Bicep)]
public sealed class LintRulesTests
{
    private static readonly string ConfigPath = Path.Combine(InfraPaths.InfraDirectory, "bicepconfig.json");

    /// <summary>Rules that must be errors (the "stale API versions, user-defined types" and the usual hygiene).</summary>
    public static TheoryData<string> EnforcedRules() =>
    [
        "use-recent-api-versions",
        "use-user-defined-types",
        "no-unused-params",
        "no-unused-vars",
        "no-unused-existing-resources",
        "secure-secrets-in-params",
        "outputs-should-not-contain-secrets",
        "use-secure-value-for-secure-inputs",
        "no-hardcoded-env-urls",
        "use-resource-symbol-reference",
    ];

    /// <summary>A minimal file breaking exactly one rule, per rule the probes cover.</summary>
    public static TheoryData<string, string> Probes() => new()
    {
        {
            "use-recent-api-versions",
            """
            param location string
            resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2018-11-30' = {
              name: 'probe'
              location: location
            }
            output id string = identity.id
            """
        },
        {
            "use-user-defined-types",
            """
            param settings object
            output settings object = settings
            """
        },
        {
            "no-unused-params",
            """
            param unused string
            output value string = 'probe'
            """
        },
    };

    [Theory]
    [MemberData(nameof(EnforcedRules))]
    public void Config_sets_the_rule_to_error(string rule)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(ConfigPath));
        var rules = config.RootElement.GetProperty("analyzers").GetProperty("core").GetProperty("rules");

        Assert.True(config.RootElement.GetProperty("analyzers").GetProperty("core").GetProperty("enabled").GetBoolean());
        Assert.True(rules.TryGetProperty(rule, out var setting), $"{rule} is not configured in infra/bicepconfig.json");
        Assert.Equal("error", setting.GetProperty("level").GetString());
    }

    [Theory]
    [MemberData(nameof(Probes))]
    public async Task Bicep_cli_applies_the_config_to_a_file_that_breaks_the_rule(string rule, string probe)
    {
        var directory = Directory.CreateTempSubdirectory("wildlong-lint-");
        try
        {
            File.Copy(ConfigPath, Path.Combine(directory.FullName, "bicepconfig.json"));
            var file = Path.Combine(directory.FullName, "probe.bicep");
            await File.WriteAllTextAsync(file, probe);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

            var result = await BicepCli.RunAsync(["lint", file], timeout.Token);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains($"Error {rule}:", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
