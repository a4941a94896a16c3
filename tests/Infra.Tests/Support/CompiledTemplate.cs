using System.Text.Json;

namespace WildLong.Infra.Tests.Support;

/// <summary>
/// infra/main.bicep compiled once to ARM JSON (with its modules inlined as nested templates), shared by the tests
/// that read resources and settings out of what Azure would actually receive.
/// </summary>
public sealed class CompiledTemplate : IAsyncLifetime
{
    private JsonDocument? document;

    public BicepResult Build { get; private set; } = new(-1, "", "");

    public JsonElement Root => document?.RootElement
        ?? throw new InvalidOperationException($"infra/main.bicep did not compile: {Build}");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        Build = await BicepCli.RunAsync(["build", InfraPaths.MainBicep, "--stdout"], timeout.Token);
        if (Build.ExitCode == 0)
        {
            document = JsonDocument.Parse(Build.StandardOutput);
        }
    }

    public Task DisposeAsync()
    {
        document?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Every deployed (not <c>existing</c>) resource of the given type anywhere in the template, nested module
    /// templates included; handles both the array layout and the symbolic-name (languageVersion 2.0) object layout.
    /// </summary>
    public IReadOnlyList<JsonElement> Resources(string type)
    {
        var found = new List<JsonElement>();
        CollectResources(Root, type, found);
        return found;
    }

    private static void CollectResources(JsonElement template, string type, List<JsonElement> found)
    {
        if (!template.TryGetProperty("resources", out var resources))
        {
            return;
        }

        var items = resources.ValueKind switch
        {
            JsonValueKind.Array => resources.EnumerateArray().ToList(),
            JsonValueKind.Object => resources.EnumerateObject().Select(property => property.Value).ToList(),
            _ => [],
        };
        foreach (var resource in items)
        {
            var isExisting = resource.TryGetProperty("existing", out var existing) && existing.ValueKind == JsonValueKind.True;
            if (!isExisting && resource.TryGetProperty("type", out var resourceType)
                && string.Equals(resourceType.GetString(), type, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(resource);
            }

            if (resource.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
                && properties.TryGetProperty("template", out var nested))
            {
                CollectResources(nested, type, found);
            }
        }
    }
}
