using System.Text.Json;
using WildLong.Infra.Tests.Support;
using WildLong.Storage;

namespace WildLong.Infra.Tests;

/// <summary>
/// The app runs with the default container and table names of WildLong.Storage, so infra must create every one of
/// them (a name added in code and forgotten here would fail only in Azure).
/// </summary>
[Collection(InfraCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Bicep)]
public sealed class StorageNamesTests(CompiledTemplate template)
{
    [Fact]
    public void Infra_creates_every_default_container()
    {
        var declared = Declared("containers");

        var defaults = DefaultNames(new StorageContainerNames());

        Assert.NotEmpty(defaults);
        Assert.All(defaults, name => Assert.Contains(name, declared));
    }

    [Fact]
    public void Infra_creates_every_default_table()
    {
        var declared = Declared("tables");

        var defaults = DefaultNames(new StorageTableNames());

        Assert.NotEmpty(defaults);
        Assert.All(defaults, name => Assert.Contains(name, declared));
    }

    private HashSet<string> Declared(string kind) =>
        template.Root.GetProperty("variables").GetProperty("storageNames").GetProperty(kind).EnumerateObject()
            .Where(property => property.Value.ValueKind == JsonValueKind.String)
            .Select(property => property.Value.GetString()!)
            .ToHashSet(StringComparer.Ordinal);

    private static List<string> DefaultNames(object names) =>
        [.. names.GetType().GetProperties()
            .Where(property => property.PropertyType == typeof(string))
            .Select(property => (string)property.GetValue(names)!)];
}
