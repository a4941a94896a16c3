using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using WildLong.Functions.Durable;
using WildLong.Functions.Estimation;
using WildLong.Functions.Tests.Support;
using WildLong.Pipeline;

namespace WildLong.Functions.Tests;

/// <summary>Every pipeline task has a Functions wrapper of the right name, trigger and input type, and can be built from the app's container.</summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class WrapperCoverageTests(AzuriteFixture azurite)
{
    private static readonly IReadOnlyList<MethodInfo> FunctionMethods = typeof(OrchestratorFunctions).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
        .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
        .ToList();

    public static TheoryData<Type> Orchestrators() => [.. PipelineTasks.Orchestrators, typeof(EstimateOrchestrator)];

    public static TheoryData<Type> Activities() => [.. PipelineTasks.Activities];

    [Theory]
    [MemberData(nameof(Orchestrators))]
    public void Every_orchestrator_has_an_orchestration_trigger_wrapper_named_after_its_class(Type orchestrator)
    {
        var method = Assert.Single(FunctionMethods, m => m.GetCustomAttribute<FunctionAttribute>()!.Name == orchestrator.Name);
        var parameter = Assert.Single(method.GetParameters(), p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null);
        Assert.Equal(typeof(TaskOrchestrationContext), parameter.ParameterType);
        var output = BaseGeneric(orchestrator, typeof(TaskOrchestrator<,>))[1];
        Assert.Equal(typeof(Task<>).MakeGenericType(output), method.ReturnType);
    }

    [Theory]
    [MemberData(nameof(Activities))]
    public void Every_activity_has_an_activity_trigger_wrapper_named_after_its_class_taking_its_input(Type activity)
    {
        var method = Assert.Single(FunctionMethods, m => m.GetCustomAttribute<FunctionAttribute>()!.Name == activity.Name);
        var parameter = Assert.Single(method.GetParameters(), p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);
        var types = BaseGeneric(activity, typeof(TaskActivity<,>));
        Assert.Equal(types[0], parameter.ParameterType);
        Assert.Equal(typeof(Task<>).MakeGenericType(types[1]), method.ReturnType);
    }

    [Fact]
    public void Durable_wrappers_cover_exactly_the_pipeline_tasks()
    {
        var durable = FunctionMethods
            .Where(m => m.GetParameters().Any(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null || p.GetCustomAttribute<ActivityTriggerAttribute>() is not null))
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name)
            .Order(StringComparer.Ordinal);
        var tasks = PipelineTasks.Orchestrators.Concat(PipelineTasks.Activities).Select(t => t.Name).Concat(EstimateFunctions.TaskNames).Order(StringComparer.Ordinal);
        Assert.Equal(tasks, durable);
    }

    [Fact]
    public void Function_names_are_unique()
    {
        var names = FunctionMethods.Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void The_app_container_builds_every_task_and_function_class()
    {
        using var app = new TestApp(azurite);
        var functionClasses = FunctionMethods.Select(m => m.DeclaringType!).Distinct().ToList();
        var types = PipelineTasks.Orchestrators.Concat(PipelineTasks.Activities).Concat([typeof(EstimateOrchestrator), typeof(InputsEstimator)]).Concat(functionClasses).ToList();
        var unbuildable = new List<string>();
        foreach (var type in types)
        {
            try
            {
                Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance(app.Services, type);
            }
            catch (InvalidOperationException ex)
            {
                unbuildable.Add($"{type.Name}: {ex.Message}");
            }
        }

        // Every class was tried (the function classes were found), and the container built each one.
        Assert.NotEmpty(functionClasses);
        Assert.True(unbuildable.Count == 0, "the app's container cannot build: " + string.Join("; ", unbuildable));
    }

    private static Type[] BaseGeneric(Type type, Type generic)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == generic)
            {
                return t.GetGenericArguments();
            }
        }

        throw new InvalidOperationException($"{type.Name} does not derive from {generic.Name}");
    }
}
