namespace WildLong.Simulator;

/// <summary>
/// The lifetime of a simulator started inside another program (the CLI, tests): it ignores console signals, so Ctrl+C
/// reaches the program that owns the process — which stops its run and then the simulator — instead of the simulator
/// taking the signal for itself and vanishing under a running client. The standalone simulator keeps the console one.
/// </summary>
internal sealed class EmbeddedServerLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
