namespace WildLong.Infra.Tests.Support;

/// <summary>Shares one compilation of infra/main.bicep across the test classes that read it.</summary>
[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<CompiledTemplate>
{
    public const string Name = "Compiled infra";
}
