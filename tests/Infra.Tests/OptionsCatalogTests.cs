using WildLong.Infra.Tests.Support;
using WildLong.Llm;
using WildLong.Storage;

namespace WildLong.Infra.Tests;

/// <summary>The settings check itself: it finds the real options classes and rejects names that bind nothing.</summary>
public sealed class OptionsCatalogTests
{
    private static readonly Lazy<OptionsCatalog> Catalog = new(OptionsCatalog.Load);

    [Fact]
    public void Finds_the_options_classes_of_core_llm_and_storage()
    {
        Assert.Equal(typeof(ModelOptions), Catalog.Value.Sections[ModelOptions.SectionName]);
        Assert.Equal(typeof(StorageOptions), Catalog.Value.Sections[StorageOptions.SectionName]);
        Assert.Contains(Catalog.Value.Sections.Values, type => type.Assembly.GetName().Name == "WildLong.Core");
    }

    [Theory]
    [InlineData("WildLong__Model__Tpm", nameof(ModelOptions.Tpm))]
    [InlineData("WildLong__model__endpoint", nameof(ModelOptions.Endpoint))]
    [InlineData("WildLong__Storage__Containers__Queries", nameof(StorageContainerNames.Queries))]
    [InlineData("WildLong__Storage__Tables__Runs", nameof(StorageTableNames.Runs))]
    public void Resolves_settable_properties_case_insensitively_and_through_nested_objects(string setting, string property)
    {
        var resolved = Catalog.Value.Resolve(setting, out var reason);

        Assert.True(resolved is not null, reason);
        Assert.Equal(property, resolved.Name);
    }

    [Theory]
    [InlineData("WildLong__Model__Tpms", "no public property")]
    [InlineData("WildLong__Nowhere__Key", "no options class")]
    [InlineData("WildLong__Storage__Containers", "is an object")]
    [InlineData("WildLong__Storage__IsConfigured", "no public setter")]
    [InlineData("WildLong__Model__Tpm__Extra", "cannot go below it")]
    public void Rejects_settings_that_bind_nothing_settable(string setting, string because)
    {
        var resolved = Catalog.Value.Resolve(setting, out var reason);

        Assert.Null(resolved);
        Assert.Contains(because, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_literal_values_convert_like_the_binder()
    {
        var useManagedIdentity = typeof(ModelOptions).GetProperty(nameof(ModelOptions.UseManagedIdentity))!;
        var tpm = typeof(ModelOptions).GetProperty(nameof(ModelOptions.Tpm))!;

        Assert.True(OptionsCatalog.CanHold(useManagedIdentity, "true"));
        Assert.False(OptionsCatalog.CanHold(useManagedIdentity, "yes please"));
        Assert.True(OptionsCatalog.CanHold(tpm, "200000"));
        Assert.False(OptionsCatalog.CanHold(tpm, "lots"));
    }
}
