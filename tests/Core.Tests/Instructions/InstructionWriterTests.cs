using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Instructions;
using WildLong.Core.Prompts;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Instructions;

public class InstructionWriterTests
{
    private static InstructionWriter Writer(IChatClient chat, GenerationOptions options, int attempts = 3)
        => new(TestLlm.Caller(chat, attempts), PromptLibrary.Default, Options.Create(options), NullLogger<InstructionWriter>.Instance);

    private static InstructionPath Path(string type, long index, params (string Field, string Value)[] steps)
        => new(type, index, [.. steps.Select(s => new PathStep(s.Field, s.Value))]);

    /// <summary>Answers with a request that uses the reference the prompt asked for ("the document" / "these documents").</summary>
    private static ScriptedChatClient ObedientModel()
        => ScriptedChatClient.FromText((messages, _) =>
        {
            var plural = messages[0].Text.Contains("\"these ", StringComparison.Ordinal);
            return JsonSerializer.Serialize(new { instruction = plural ? "Compare the termination clauses across these documents." : "List every deadline in the document as a table." });
        });

    [Fact]
    public async Task A_kind_assigned_by_the_round_planner_overrides_the_per_path_coin()
    {
        var options = new GenerationOptions { MultiDocumentShare = 0 };
        var paths = Enumerable.Range(0, 6)
            .Select(i => Path("legal_contract", i, ("task_type", "comparison")) with { PlannedKind = i % 2 == 0 ? TaskKind.Aggregation : null })
            .ToList();

        var result = await Writer(ObedientModel(), options).WriteAsync(paths, CancellationToken.None);

        Assert.Equal([TaskKind.Aggregation, TaskKind.SingleDocument, TaskKind.Aggregation, TaskKind.SingleDocument, TaskKind.Aggregation, TaskKind.SingleDocument],
            result.Items.Select(i => i.TaskKind));
        Assert.All(result.Items.Where(i => i.IsMultiDocument), i => Assert.Contains("these documents", i.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Writes_one_instruction_per_path_with_the_planned_task_kind_and_prompt_id()
    {
        var options = new GenerationOptions { MultiDocumentShare = 0.5 };
        var chat = ObedientModel();
        var paths = Enumerable.Range(0, 12)
            .Select(i => Path("legal_contract", i, ("purpose", "due diligence"), ("task_type", "extraction"), ("output_format", "table")))
            .ToList();

        var result = await Writer(chat, options).WriteAsync(paths, CancellationToken.None);

        Assert.Empty(result.Quarantined);
        Assert.Equal(paths.Count, result.Items.Count);
        Assert.Contains(result.Items, i => i.TaskKind == TaskKind.SingleDocument);
        Assert.Contains(result.Items, i => i.IsMultiDocument);
        foreach (var (path, instruction) in paths.Zip(result.Items))
        {
            Assert.Equal(path.Key, instruction.PathKey);
            Assert.Equal(path.Index, instruction.Index);
            Assert.Equal(TaskKindPlanner.Plan(options, path.DocumentType, path.Index), instruction.TaskKind);
            Assert.Equal("instruction-writing@3", instruction.PromptId);
            Assert.Equal(path.Steps, instruction.Steps);
            Assert.Contains(instruction.IsMultiDocument ? "these documents" : "the document", instruction.Text, StringComparison.Ordinal);
        }

        var requests = chat.Requests.ToList();
        Assert.All(requests, r => Assert.Equal(options.InstructionWritingMaxOutputTokens, r.Options!.MaxOutputTokens));
        Assert.All(requests, r => Assert.Contains("- output format: table", r.Messages[^1].Text, StringComparison.Ordinal));
        Assert.Equal(requests.Count, requests.Select(r => r.Options!.Seed).Distinct().Count());
    }

    [Fact]
    public async Task Seeds_and_task_kinds_do_not_depend_on_batch_order()
    {
        var options = new GenerationOptions { MultiDocumentShare = 0.5 };
        var paths = Enumerable.Range(0, 8).Select(i => Path("patent", i, ("task_type", "summary"), ("audience", $"group {i}"))).ToList();
        var forward = ObedientModel();
        var backward = ObedientModel();

        var a = await Writer(forward, options).WriteAsync(paths, CancellationToken.None);
        var b = await Writer(backward, options).WriteAsync([.. Enumerable.Reverse(paths)], CancellationToken.None);

        Assert.Equal(a.Items.ToDictionary(i => i.Id, i => i.TaskKind), b.Items.ToDictionary(i => i.Id, i => i.TaskKind));
        var seedsForward = forward.Requests.Select(r => (r.Messages[^1].Text, r.Options!.Seed)).ToHashSet();
        var seedsBackward = backward.Requests.Select(r => (r.Messages[^1].Text, r.Options!.Seed)).ToHashSet();
        Assert.Equal(seedsForward, seedsBackward);
    }

    [Fact]
    public async Task A_path_the_model_cannot_write_is_quarantined_and_the_rest_of_the_batch_survives()
    {
        var options = new GenerationOptions { MultiDocumentShare = 0 };
        var chat = ScriptedChatClient.FromText((messages, _) => messages.Any(m => m.Text.Contains("poison", StringComparison.Ordinal))
            ? """{"instruction": "Write me a poem about spring."}"""
            : """{"instruction": "Summarize the document in five bullet points."}""");
        var paths = new[]
        {
            Path("speech", 0, ("task_type", "summary")),
            Path("speech", 1, ("task_type", "poison")),
            Path("speech", 2, ("task_type", "summary")),
        };

        var result = await Writer(chat, options, attempts: 2).WriteAsync(paths, CancellationToken.None);

        Assert.Equal([0L, 2L], result.Items.Select(i => i.Index));
        var entry = Assert.Single(result.Quarantined);
        Assert.Equal(StageNames.InstructionWriting, entry.Stage);
        Assert.Equal("speech#1", entry.ItemId);
        Assert.Contains("must refer to the text it is about as \"the speech\"", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("after 2 attempts", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_answer_is_retried_with_the_reason_and_then_accepted()
    {
        var chat = ScriptedChatClient.Sequence(
            """{"instruction": ""}""",
            """{"instruction": "What does the document say about warranties?"}""");

        var result = await Writer(chat, new GenerationOptions { MultiDocumentShare = 0 })
            .WriteAsync([Path("legal_contract", 3, ("topic", "warranties"))], CancellationToken.None);

        var instruction = Assert.Single(result.Items);
        Assert.Equal("What does the document say about warranties?", instruction.Text);
        var retry = chat.Requests.Last();
        Assert.Contains("the instruction is empty", retry.Messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overlong_instructions_and_paths_without_steps_are_quarantined()
    {
        var options = new GenerationOptions { MultiDocumentShare = 0, MaxInstructionCharacters = 60 };
        var chat = ScriptedChatClient.FromText((_, _) => JsonSerializer.Serialize(new { instruction = "Explain the document. " + new string('x', 100) }));

        var result = await Writer(chat, options, attempts: 1)
            .WriteAsync([Path("essay", 0, ("task_type", "critique")), new InstructionPath("essay", 1, [])], CancellationToken.None);

        Assert.Empty(result.Items);
        Assert.Collection(result.Quarantined.OrderBy(q => q.ItemId, StringComparer.Ordinal),
            q => Assert.Contains("keep it under 60", q.Reason, StringComparison.Ordinal),
            q => Assert.Equal("the path has no steps", q.Reason));
        Assert.Single(chat.Requests);
    }

    [Fact]
    public void Task_kind_planner_follows_the_configured_multi_document_share()
    {
        var options = new GenerationOptions { MultiDocumentShare = 0.25, ComparisonShare = 0.5 };
        var kinds = Enumerable.Range(0, 8000).Select(i => TaskKindPlanner.Plan(options, "scientific_paper", i)).ToList();

        var multi = kinds.Count(k => k != TaskKind.SingleDocument) / (double)kinds.Count;
        var comparison = kinds.Count(k => k == TaskKind.Comparison) / (double)kinds.Count(k => k != TaskKind.SingleDocument);
        Assert.InRange(multi, 0.22, 0.28);
        Assert.InRange(comparison, 0.45, 0.55);
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal(kinds[i], TaskKindPlanner.Plan(options, "scientific_paper", i)));
        Assert.All(Enumerable.Range(0, 200), i => Assert.Equal(TaskKind.SingleDocument, TaskKindPlanner.Plan(new GenerationOptions { MultiDocumentShare = 0 }, "x", i)));
    }
}
