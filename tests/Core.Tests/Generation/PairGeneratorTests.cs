using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Generation;

public class PairGeneratorTests
{
    private static readonly LongDocument Speech1970 = GenerationTestKit.Document("sotu-1970_richard_nixon_r");
    private static readonly LongDocument Speech1976 = GenerationTestKit.Document("sotu-1976_gerald_r_ford_r");

    private static LoadedPair Single(long index, LongDocument document, string? text = null)
        => new(GenerationTestKit.Plan(GenerationTestKit.Instruction("speech", index, text: text), document), [document]);

    [Fact]
    public async Task Generates_training_records_end_to_end_on_real_documents()
    {
        var chat = GenerationTestKit.Model();
        var options = new GenerationOptions { MaxConcurrentDocuments = 1 };
        var comparison = GenerationTestKit.Instruction("speech", 3, TaskKind.Comparison, "Compare the economic priorities set out in these documents.");
        var batch = new[]
        {
            Single(2, Speech1976, "What policy goals does the document announce?"),
            Single(0, Speech1970, "Summarize the document's main themes."),
            new LoadedPair(GenerationTestKit.Plan(comparison, Speech1970, Speech1976), [Speech1970, Speech1976]),
            Single(1, Speech1970, "List the promises made in the document."),
        };

        var result = await GenerationTestKit.Generator(chat, options).GenerateAsync(batch, CancellationToken.None);

        Assert.Empty(result.Quarantined);
        Assert.Equal(4, result.Items.Count);

        // Output and calls are grouped by document set: all 1970 items, then the pair, then 1976.
        Assert.Equal(
            ["speech#0@sotu-1970_richard_nixon_r", "speech#1@sotu-1970_richard_nixon_r",
             "speech#3@sotu-1970_richard_nixon_r+sotu-1976_gerald_r_ford_r", "speech#2@sotu-1976_gerald_r_ford_r"],
            result.Items.Select(r => r.Meta.Id));
        var prefixes = chat.Requests.Select(r => r.Messages[0].Text).ToList();
        Assert.Equal(12, prefixes.Count);
        Assert.Equal(3, prefixes.Select((p, i) => (p, i)).Where(x => x.i == 0 || prefixes[x.i - 1] != x.p).Count());

        var record = result.Items[2];
        Assert.Equal(TaskKind.Comparison, record.Meta.TaskKind);
        Assert.Equal(["sotu-1970_richard_nixon_r", "sotu-1976_gerald_r_ford_r"], record.Meta.DocumentIds);
        Assert.Equal("speech", record.Meta.DocumentType);
        Assert.Equal(comparison.Steps, record.Meta.Path);
        Assert.Equal(comparison.PathKey, record.Meta.PathKey);
        Assert.Equal("For these documents: Compare the economic priorities set out in these documents.", record.Meta.Instruction);
        Assert.Equal(comparison.Text, record.Meta.AgnosticInstruction);
        Assert.Equal("test-model", record.Meta.Model);
        Assert.Equal(options.Seed, record.Meta.Seed);
        Assert.Equal(["instruction-writing@3", "instruction-adaptation@2", "response-generation@2", "quality-judge@2"], record.Meta.PromptVersions);
        Assert.Equal(5, record.Meta.Judge.Score);

        Assert.Collection(record.Messages,
            user =>
            {
                Assert.Equal("user", user.Role);
                var documents = DocumentContext.For([Speech1970, Speech1976]).Text;
                Assert.Equal(
                    record.Meta.InstructionPosition == InstructionPosition.BeforeDocuments
                        ? record.Meta.Instruction + "\n\n" + documents
                        : documents + "\n\n" + record.Meta.Instruction,
                    user.Content);
            },
            assistant =>
            {
                Assert.Equal("assistant", assistant.Role);
                Assert.Equal("Answer: " + record.Meta.Instruction, assistant.Content);
            });
        Assert.All(result.Items, r =>
        {
            Assert.Equal(TokenCounter.Shared.Count(r.Messages[0].Content), r.Meta.PromptTokens);
            Assert.Equal(TokenCounter.Shared.Count(r.Messages[1].Content), r.Meta.ResponseTokens);
        });
        Assert.True(result.Items[0].Meta.PromptTokens > 5_000, "the prompt must include the whole speech");

        // Every stage call is bounded and seeded; the answer call gets the generous limit.
        Assert.All(chat.Requests, r => Assert.NotNull(r.Options!.Seed));
        Assert.All(chat.Requests.Where(r => GenerationTestKit.SchemaName(r.Options) == "grounded_response"),
            r => Assert.Equal(options.ResponseMaxOutputTokens, r.Options!.MaxOutputTokens));
        Assert.All(chat.Requests.Where(r => GenerationTestKit.SchemaName(r.Options) == "quality_verdict"),
            r => Assert.Equal(options.JudgeMaxOutputTokens, r.Options!.MaxOutputTokens));
    }

    [Fact]
    public async Task A_pair_the_judge_rejects_is_quarantined_with_the_judges_reason()
    {
        var chat = GenerationTestKit.Model(instruction => instruction.Contains("weather", StringComparison.Ordinal)
            ? GenerationTestKit.Verdict(true, true, false, 5, "Answerable from general knowledge; the speech is not needed.")
            : instruction.Contains("poem", StringComparison.Ordinal)
                ? GenerationTestKit.Verdict(true, true, true, 2, "The response ignores the requested format.")
                : null);
        var batch = new[]
        {
            Single(0, Speech1970, "Summarize the document."),
            Single(1, Speech1970, "What is the weather like in Washington in January, per the document?"),
            Single(2, Speech1970, "Turn the document into a poem."),
        };

        var result = await GenerationTestKit.Generator(chat).GenerateAsync(batch, CancellationToken.None);

        Assert.Equal("speech#0@sotu-1970_richard_nixon_r", Assert.Single(result.Items).Meta.Id);
        Assert.Collection(result.Quarantined,
            q =>
            {
                Assert.Equal(StageNames.QualityJudge, q.Stage);
                Assert.Equal("speech#1@sotu-1970_richard_nixon_r", q.ItemId);
                Assert.Equal("rejected by the quality judge: Answerable from general knowledge; the speech is not needed.", q.Reason);
                Assert.Contains("document_dependent=False", q.Detail, StringComparison.Ordinal);
            },
            q =>
            {
                Assert.Equal("speech#2@sotu-1970_richard_nixon_r", q.ItemId);
                Assert.Contains("ignores the requested format", q.Reason, StringComparison.Ordinal);
                Assert.Contains("score=2 (minimum 4)", q.Detail, StringComparison.Ordinal);
                Assert.Equal(2, q.JudgeScore);
            });
    }

    [Fact]
    public async Task Failed_steps_and_mismatched_documents_are_quarantined_without_sinking_the_batch()
    {
        var chat = ScriptedChatClient.FromText((messages, options) =>
        {
            var prompt = string.Join("\n", messages.Skip(1).Select(m => m.Text));
            if (GenerationTestKit.SchemaName(options) == "adapted_instruction" && prompt.Contains("BROKEN-ADAPT", StringComparison.Ordinal))
            {
                return "not json";
            }

            if (GenerationTestKit.SchemaName(options) == "grounded_response" && prompt.Contains("BROKEN-ANSWER", StringComparison.Ordinal))
            {
                return """{"citations": [], "answer": "   "}""";
            }

            return GenerationTestKit.Answer(messages, options);
        });
        var batch = new[]
        {
            Single(0, Speech1970, "BROKEN-ADAPT the document."),
            Single(1, Speech1970, "BROKEN-ANSWER the document."),
            new LoadedPair(GenerationTestKit.Plan(GenerationTestKit.Instruction("speech", 2), Speech1970), [Speech1976]),
            Single(3, Speech1976, "Summarize the document."),
        };

        var result = await GenerationTestKit.Generator(chat, maxStructuredAttempts: 2).GenerateAsync(batch, CancellationToken.None);

        Assert.Equal("speech#3@sotu-1976_gerald_r_ford_r", Assert.Single(result.Items).Meta.Id);
        var byItem = result.Quarantined.ToDictionary(q => q.ItemId!, q => q);
        Assert.Equal(StageNames.InstructionAdaptation, byItem["speech#0@sotu-1970_richard_nixon_r"].Stage);
        Assert.Contains("not valid JSON", byItem["speech#0@sotu-1970_richard_nixon_r"].Reason, StringComparison.Ordinal);
        Assert.Equal(StageNames.ResponseGeneration, byItem["speech#1@sotu-1970_richard_nixon_r"].Stage);
        Assert.Contains("the answer is empty", byItem["speech#1@sotu-1970_richard_nixon_r"].Reason, StringComparison.Ordinal);
        Assert.Equal(StageNames.PairGeneration, byItem["speech#2@sotu-1970_richard_nixon_r"].Stage);
        Assert.Contains("do not match the planned documents", byItem["speech#2@sotu-1970_richard_nixon_r"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_does_not_depend_on_input_order_or_concurrency()
    {
        var batch = new[]
        {
            Single(0, Speech1970, "Summarize the document."),
            Single(1, Speech1976, "List the proposals in the document."),
            Single(2, Speech1970, "Who is thanked in the document?"),
        };

        var sequential = await GenerationTestKit.Generator(GenerationTestKit.Model(), new GenerationOptions { MaxConcurrentDocuments = 1 })
            .GenerateAsync(batch, CancellationToken.None);
        var parallel = await GenerationTestKit.Generator(GenerationTestKit.Model(), new GenerationOptions { MaxConcurrentDocuments = 4 })
            .GenerateAsync([.. batch.Reverse()], CancellationToken.None);

        Assert.Equal(sequential.Items.Select(TrainingRecordJsonl.Serialize), parallel.Items.Select(TrainingRecordJsonl.Serialize));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public async Task The_instruction_position_follows_the_share_while_model_calls_keep_the_documents_first(double share)
    {
        var chat = GenerationTestKit.Model();
        var options = new GenerationOptions { InstructionBeforeDocumentsShare = share, MaxConcurrentDocuments = 1 };
        var batch = Enumerable.Range(0, 12).Select(i => Single(i, i % 2 == 0 ? Speech1970 : Speech1976, $"Question {i} about the document's themes.")).ToList();

        var result = await GenerationTestKit.Generator(chat, options).GenerateAsync(batch, CancellationToken.None);

        Assert.Equal(12, result.Items.Count);
        var before = result.Items.Count(r => r.Meta.InstructionPosition == InstructionPosition.BeforeDocuments);
        if (share == 0)
        {
            Assert.Equal(0, before);
        }
        else if (share == 1)
        {
            Assert.Equal(12, before);
        }
        else
        {
            Assert.InRange(before, 1, 11);
        }

        foreach (var record in result.Items)
        {
            var user = record.Messages[0].Content;
            var startsWithRequest = user.StartsWith(record.Meta.Instruction, StringComparison.Ordinal);
            Assert.Equal(record.Meta.InstructionPosition == InstructionPosition.BeforeDocuments, startsWithRequest);
            Assert.Equal(!startsWithRequest, user.EndsWith(record.Meta.Instruction, StringComparison.Ordinal));
        }

        // Every model call still opens with the document context, whatever the record's layout.
        Assert.All(chat.Requests, r => Assert.StartsWith("Document: ", r.Messages[0].Text, StringComparison.Ordinal));
    }
}
