using Xunit.Abstractions;
using WildLong.Pipeline.Tests.Support;

namespace WildLong.Pipeline.Tests.Scope;

/// <summary>
/// The CLI as a user runs it: inputs that cannot make a pair end with exit code 1 and one line naming the cause,
/// never with pairs made from somewhere else and never with a stack trace.
/// </summary>
[Trait(TestCategories.Name, TestCategories.CliProcess)]
public sealed class NoPairsCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("wildlong-nopairs-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Theory]
    [InlineData("chit-chat", "{\"id\":\"q1\",\"text\":\"hi, how are you today?\"}\n{\"id\":\"q2\",\"text\":\"tell me a joke about cats\"}\n", "no query brings or refers to a document")]
    [InlineData("empty", "", "no query could be read")]
    public async Task Queries_that_bring_no_document_end_with_exit_1_and_the_cause(string name, string queries, string cause)
    {
        var queriesFile = Path.Combine(root, name + ".jsonl");
        await File.WriteAllTextAsync(queriesFile, queries);
        var documents = Path.Combine(AppContext.BaseDirectory, "TestData", "documents.jsonl");
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["WILDLONG__Workspace"] = Path.Combine(root, "ws"),
            ["WILDLONG__Llm__Cache__Directory"] = Path.Combine(root, "cache"),
            ["DOTNET_PROCESSOR_COUNT"] = null,
        };
        string[] arguments = ["run", "--engine", "in-process", "--queries", queriesFile, "--documents", documents, "--pairs", "5", "--out", Path.Combine(root, "out-" + name)];
        var run = await CliProcess.RunAsync(arguments, root, environment, output.WriteLine, killWhen: null, TimeSpan.FromMinutes(4));

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Lines, l => l.Contains("no pairs:", StringComparison.Ordinal));
        Assert.Contains(cause, line, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.Equal(string.Empty, (await File.ReadAllTextAsync(Path.Combine(root, "out-" + name, "pairs.jsonl"))).Trim());
    }
}
