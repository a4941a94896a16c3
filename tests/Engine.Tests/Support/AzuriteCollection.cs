namespace WildLong.Engine.Tests.Support;

/// <summary>
/// The tests of this assembly that share one Azurite (see <see cref="AzuriteFixture"/>); xUnit 2 wants the
/// definition in the test assembly itself.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = AzuriteFixture.CollectionName;
}
