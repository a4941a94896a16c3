namespace WildLong.Testing;

/// <summary>
/// The <c>Category</c> trait values that let slow or tool-dependent tests run apart:
/// <c>dotnet test --filter "Category!=Azurite&amp;Category!=CliProcess&amp;Category!=Bicep"</c> runs what needs
/// nothing but .NET. Put on a class as <c>[Trait(TestCategories.Name, TestCategories.Azurite)]</c>.
/// </summary>
public static class TestCategories
{
    /// <summary>The trait name the filters use.</summary>
    public const string Name = "Category";

    /// <summary>Needs the Azurite storage emulator (Node.js and npm; the fixture installs and starts it).</summary>
    public const string Azurite = "Azurite";

    /// <summary>Starts the built CLI (<c>wildlong</c>) as a child process and stops or kills it.</summary>
    public const string CliProcess = "CliProcess";

    /// <summary>Runs the Bicep CLI over the infrastructure files.</summary>
    public const string Bicep = "Bicep";
}
