using Xunit.Abstractions;

namespace WildLong.Engine.Tests;

/// <summary>The shared engine behaviour on the in-memory backend.</summary>
public sealed class MemoryEngineTests(ITestOutputHelper output) : EngineBehaviourTests(output)
{
    protected override string BackendName => EngineBackends.Memory;

    protected override Dictionary<string, string?> Settings(string taskHub) => new()
    {
        ["WildLong:Engine:Backend"] = EngineBackends.Memory,
        ["WildLong:Engine:TaskHubName"] = taskHub,
    };
}
