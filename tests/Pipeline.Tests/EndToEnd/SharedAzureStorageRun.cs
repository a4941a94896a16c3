using WildLong.Engine;
using WildLong.Pipeline.Tests.Support;
using WildLong.Simulator;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.EndToEnd;

/// <summary>
/// One full run on the azure-storage engine, made once by the first test that needs it and shared by the tests of
/// <see cref="AzureStorageEngineRunTests"/> (each asserts a different promise about it; a run costs about a minute).
/// </summary>
public sealed class SharedAzureStorageRun : IAsyncLifetime
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly string folder = Directory.CreateTempSubdirectory("wildlong-e2e-").FullName;
    private AzuriteFixture? azurite;
    private State? state;

    public TestStorageNames Names { get; } = TestStorageNames.Unique();

    public string InputFolder => folder;

    public async Task<(PipelineTestHost Host, SimulatorServer Simulator, CompletedRun Run)> GetAsync(AzuriteFixture fixture, ITestOutputHelper output, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (state is null)
            {
                azurite = fixture;
                var simulator = await PipelineTestData.StartSimulatorAsync(cancellationToken);
                var host = await PipelineTestHost.StartAsync(EngineBackends.AzureStorage, fixture, simulator, Names, output, cancellationToken: cancellationToken);
                state = new State(host, simulator, await CompletedRun.RunAsync(host, simulator, folder, cancellationToken));
            }

            return (state.Host, state.Simulator, state.Run);
        }
        finally
        {
            gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (state is not null)
        {
            await state.Host.DisposeAsync();
            await state.Simulator.DisposeAsync();
        }

        if (azurite is not null)
        {
            await PipelineTestData.DeleteAsync(azurite.ConnectionString, Names);
        }

        Directory.Delete(folder, recursive: true);
        gate.Dispose();
    }

    private sealed record State(PipelineTestHost Host, SimulatorServer Simulator, CompletedRun Run);
}
