namespace WildLong.Storage.Tests.Support;

/// <summary>The tests that share one Azurite (see <see cref="AzuriteFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
