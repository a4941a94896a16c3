using WildLong.Engine;
using WildLong.Simulator;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.Support;

/// <summary>
/// What every durable-run test over Azurite sets up and tears down, written once: storage names of its own
/// (containers, tables, task hub), a temporary folder for inputs and caches, and hosts on the memory engine pointed
/// at both; afterwards every container and table of those names and the folder are deleted. A derived class still
/// carries <c>[Collection(AzuriteCollection.Name)]</c> itself, so the Azurite it shares is visible where it is used.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Azurite)]
public abstract class AzuriteRunTest : IAsyncLifetime
{
    private readonly List<TestStorageNames> moreNames = [];

    protected AzuriteRunTest(AzuriteFixture azurite, ITestOutputHelper output, string folderPrefix)
    {
        Azurite = azurite;
        Output = output;
        Folder = Directory.CreateTempSubdirectory(folderPrefix).FullName;
    }

    protected AzuriteFixture Azurite { get; }

    protected ITestOutputHelper Output { get; }

    /// <summary>The names this test's first host uses.</summary>
    protected TestStorageNames Names { get; } = TestStorageNames.Unique();

    protected string Folder { get; }

    /// <summary>Names for one more host in the same test (a second run that must not see the first one's state); deleted too.</summary>
    protected TestStorageNames MoreNames()
    {
        var names = TestStorageNames.Unique();
        moreNames.Add(names);
        return names;
    }

    /// <summary>A host on the memory engine over this test's Azurite and <paramref name="names"/> (default <see cref="Names"/>).</summary>
    protected Task<PipelineTestHost> StartHostAsync(SimulatorServer simulator, IReadOnlyDictionary<string, string?>? settings, CancellationToken cancellationToken, TestStorageNames? names = null)
        => PipelineTestHost.StartAsync(EngineBackends.Memory, Azurite, simulator, names ?? Names, Output, settings, cancellationToken);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var names in moreNames.Prepend(Names))
        {
            await PipelineTestData.DeleteAsync(Azurite.ConnectionString, names);
        }

        Directory.Delete(Folder, recursive: true);
    }
}
