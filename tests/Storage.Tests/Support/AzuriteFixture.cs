using WildLong.Development.Azurite;

namespace WildLong.Storage.Tests.Support;

/// <summary>
/// One private Azurite per test collection (Azurite is single-threaded Node: one instance serves a collection's
/// tests; each test uses its own container or table names). It never reuses an instance on the default ports, so
/// the tests always exercise the launcher. Other test projects can link this file and <see cref="AzuriteCollection"/>.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
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
