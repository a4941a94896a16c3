using System.Reflection;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using WildLong.Functions.Durable;
using WildLong.Functions.Estimation;
using WildLong.Pipeline;

namespace WildLong.Functions.Tests;

/// <summary>The functions.metadata the build emits (what the Functions host indexes) lists every function with the right bindings.</summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Functions = new(Load);

    [Theory]
    [InlineData("StartRun", "post", "runs")]
    [InlineData("StartGeneration", "post", "generations")]
    [InlineData("GetRun", "get", "runs/{id}")]
    [InlineData("TerminateRun", "post", "runs/{id}/terminate")]
    [InlineData("PurgeRun", "delete", "runs/{id}")]
    [InlineData("GetGraph", "get", "graphs/{docType}")]
    [InlineData("EstimateRun", "post", "estimate")]
    [InlineData("GetEstimate", "get", "estimates/{id}")]
    public void Http_functions_have_their_method_route_and_function_key(string name, string method, string route)
    {
        var trigger = Binding(name, "httpTrigger");
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString(), ignoreCase: true);
        Assert.Equal("http", Binding(name, "http", "Out").GetProperty("type").GetString());
        if (name is not "GetGraph")
        {
            AssertDurableClient(name);
        }
    }

    [Theory]
    [InlineData("QueryShardUploaded", "queries/{name}")]
    [InlineData("DocumentUploaded", "documents/{name}")]
    public void Blob_triggers_use_event_grid_on_the_input_containers(string name, string path)
    {
        var trigger = Binding(name, "blobTrigger");
        Assert.Equal(path, trigger.GetProperty("path").GetString());
        Assert.Equal("EventGrid", trigger.GetProperty("source").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
        AssertDurableClient(name);
    }

    [Fact]
    public void Timer_reads_its_schedule_from_the_app_setting()
    {
        Assert.Equal("%WildLongRegenerationSchedule%", Binding("ScheduledRegeneration", "timerTrigger").GetProperty("schedule").GetString());
        AssertDurableClient("ScheduledRegeneration");
    }

    [Fact]
    public void Every_pipeline_task_is_an_orchestration_or_activity_function()
    {
        foreach (var type in PipelineTasks.Orchestrators)
        {
            AssertBindsParameter(type.Name, Binding(type.Name, "orchestrationTrigger"), typeof(TaskOrchestrationContext));
        }

        foreach (var type in PipelineTasks.Activities)
        {
            AssertBindsParameter(type.Name, Binding(type.Name, "activityTrigger"), expectedType: null);
        }

        // The estimate job's own pair (not pipeline tasks): an orchestrator and its activity.
        AssertBindsParameter(nameof(EstimateOrchestrator), Binding(nameof(EstimateOrchestrator), "orchestrationTrigger"), typeof(TaskOrchestrationContext));
        AssertBindsParameter(EstimateOrchestrator.ActivityName, Binding(EstimateOrchestrator.ActivityName, "activityTrigger"), expectedType: null);
        Assert.Equal(PipelineTasks.Orchestrators.Count + PipelineTasks.Activities.Count + EstimateFunctions.TaskNames.Count + 11, Functions.Value.Count);
    }

    private static void AssertDurableClient(string function)
        => AssertBindsParameter(function, Binding(function, "durableClient"), typeof(DurableTaskClient));

    /// <summary>
    /// The host fills a binding into the entry point's parameter of the binding's name: that parameter must exist
    /// (and be of <paramref name="expectedType"/> when given), or the function gets nothing at run time.
    /// </summary>
    private static void AssertBindsParameter(string function, JsonElement binding, Type? expectedType)
    {
        var entryPoint = Functions.Value[function].GetProperty("entryPoint").GetString()!;
        var dot = entryPoint.LastIndexOf('.');
        var type = typeof(OrchestratorFunctions).Assembly.GetType(entryPoint[..dot], throwOnError: true)!;
        var method = Assert.Single(type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static), m => m.Name == entryPoint[(dot + 1)..]);
        var name = binding.GetProperty("name").GetString();
        var parameter = Assert.Single(method.GetParameters(), p => p.Name == name);
        if (expectedType is not null)
        {
            Assert.Equal(expectedType, parameter.ParameterType);
        }
    }

    private static JsonElement Binding(string function, string type, string direction = "In")
    {
        Assert.True(Functions.Value.TryGetValue(function, out var entry), $"functions.metadata has no function '{function}'");
        var bindings = entry.GetProperty("bindings").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == type && string.Equals(b.GetProperty("direction").GetString(), direction, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return Assert.Single(bindings);
    }

    private static Dictionary<string, JsonElement> Load()
    {
        // The Functions project's own output folder (the build writes functions.metadata there), same configuration as this test.
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = baseDirectory.Name;
        var configuration = baseDirectory.Parent!.Name;
        var root = baseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WildLong.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var path = Path.Combine(root.FullName, "src", "Functions", "bin", configuration, framework, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} does not exist: build src/Functions first");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone(), StringComparer.Ordinal);
    }
}
