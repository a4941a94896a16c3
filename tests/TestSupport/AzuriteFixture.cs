using WildLong.Development.Azurite;

namespace WildLong.Testing;

/// <summary>
/// One private Azurite per test collection (Azurite is single-threaded Node: one instance serves a collection's
/// tests; each test uses its own container or table names). It never reuses an instance on the default ports, so
/// the tests always exercise the launcher. xUnit 2 finds collection definitions only in the test assembly itself, so
/// each test project that uses it declares its own <c>AzuriteCollection</c> named <see cref="CollectionName"/>.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The name of the test collection that shares one Azurite (one per test assembly).</summary>
    public const string CollectionName = "Azurite";

    private AzuriteLauncher? launcher;

    public AzuriteLauncher Azurite => launcher ?? throw new InvalidOperationException("Azurite is not started.");

    public string ConnectionString => Azurite.ConnectionString;

    public async Task InitializeAsync()
        => launcher = await AzuriteLauncher.StartAsync(new AzuriteOptions { ReuseRunningInstance = false }, null, CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (launcher is not null)
        {
            await launcher.DisposeAsync();
        }
    }

    /// <summary>A container or table name unique to one test (lowercase letters and digits, starts with a letter).</summary>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}
