using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Instructions;
using WildLong.Core.Model;
using WildLong.Core.Prompts;
using WildLong.Simulator.Tests.Support;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace WildLong.Simulator.Tests;

/// <summary>
/// The simulator answers the revised stage-2 schemas as a model would (README "Answers"): a small share of misfits,
/// an empty instruction with a misfit, every document named when the prompt asks, and citations that quote the
/// supplied documents verbatim — checked through the real pair generator over loopback.
/// </summary>
public sealed class RevisedPromptAnswerTests
{
    private static readonly JsonElement AdaptationSchema = JsonDocument.Parse("""
        {"type": "object", "additionalProperties": false, "required": ["reason", "fits", "instruction"],
         "properties": {"reason": {"type": "string"}, "fits": {"type": "boolean"}, "instruction": {"type": "string"}}}
        """).RootElement;

    private static LlmCaller Caller(IChatClient chat)
        => new(chat, new UsageLedger(), Options.Create(new LlmCallOptions { ModelId = "gpt-4o-mini" }), NullLogger<LlmCaller>.Instance);

    [Fact]
    public async Task Adaptation_answers_say_misfit_rarely_leave_the_instruction_empty_then_and_name_every_document_when_told()
    {
        await using var server = await Sim.StartAsync();
        var caller = Caller(Sim.OpenAI(server).GetChatClient("gpt-4o-mini").AsIChatClient());
        var context = "Document 1: A\n\n" + SampleDocuments.Text(0, 4_000) + "\n\n[End of Document 1]\n\nDocument 2: B\n\n" + SampleDocuments.Text(1, 4_000)
            + "\n\n[End of Document 2]\n\nDocument 3: C\n\n" + SampleDocuments.Text(2, 4_000) + "\n\n[End of Document 3]";
        const string system = "You adapt a generic request. Refer to the documents by their labels above and name every one of them "
            + "(\"Document 1\", \"Document 2\", \"Document 3\"), or refer to all of them together as \"these documents\".";

        const int Calls = 160;
        int misfits = 0, named = 0, fitting = 0;
        for (var seed = 0; seed < Calls; seed++)
        {
            ChatMessage[] messages = [new(ChatRole.User, context), new(ChatRole.System, system), new(ChatRole.User, $"Generic request:\nCompare the main claims of these documents (variant {seed}).\n\nAdapt this request.")];
            var result = await caller.CompleteJsonAsync("adapt", messages, AdaptationSchema, "adapted_instruction", 400, seed, null, CancellationToken.None);
            Assert.True(result.Success, result.FailureReason);
            var instruction = result.Value.GetProperty("instruction").GetString()!;
            Assert.False(string.IsNullOrWhiteSpace(result.Value.GetProperty("reason").GetString()));
            if (!result.Value.GetProperty("fits").GetBoolean())
            {
                misfits++;
                Assert.Equal(string.Empty, instruction);
                continue;
            }

            fitting++;
            if (InstructionAdapterConvention(instruction))
            {
                named++;
            }
        }

        Assert.InRange(misfits / (double)Calls, 0.015, 0.1);
        Assert.InRange(named / (double)fitting, 0.85, 0.95);
    }

    [Fact]
    public async Task The_pair_generator_over_the_simulator_gets_verbatim_citations_judge_verdicts_and_re_pairs_misfits()
    {
        await using var server = await Sim.StartAsync();
        var recorder = new AdaptationRecorder(Sim.OpenAI(server).GetChatClient("gpt-4o-mini").AsIChatClient());
        var options = Options.Create(new GenerationOptions { MaxConcurrentDocuments = 2 });
        var llm = Caller(recorder);
        var generator = new PairGenerator(
            new InstructionAdapter(llm, PromptLibrary.Default, options),
            new ResponseGenerator(llm, PromptLibrary.Default, options),
            new QualityJudge(llm, PromptLibrary.Default, options),
            options,
            Options.Create(new LlmCallOptions { ModelId = "sim" }),
            NullLogger<PairGenerator>.Instance);
        var documents = SampleDocuments.Documents.Take(8).Select(d => new LongDocument(d.Id, d.Id, SampleDocuments.Text(SampleDocuments.Documents.ToList().IndexOf(d), 12_000), "sample")).ToList();
        var catalog = documents.Select(d => new IndexedDocument(d.Id, d.Title, "essay", TokenCounter.Shared.Count(d.Text), "short")).ToList();
        var batch = new List<LoadedPair>();
        for (var i = 0; i < 36; i++)
        {
            var multi = i % 6 == 5;
            var instruction = new AgnosticInstruction($"essay|t={i}", "essay", i, multi ? TaskKind.Comparison : TaskKind.SingleDocument,
                multi ? "Compare how these essays argue their main point." : "Summarize the main argument of the essay in three bullet points.", [], "instruction-writing@3");
            var picked = multi ? new[] { documents[i % 8], documents[(i + 3) % 8] }.OrderBy(d => d.Id, StringComparer.Ordinal).ToArray() : [documents[i % 8]];
            batch.Add(new LoadedPair(new PlannedPair(instruction, instruction.TaskKind, [.. picked.Select(d => catalog.Single(c => c.Id == d.Id))], null, false), picked));
        }

        var result = await generator.GenerateAsync(batch, new InMemoryPairDocumentSource(catalog, documents), CancellationToken.None);

        Assert.NotEmpty(result.Items);
        Assert.DoesNotContain(result.Quarantined, q => q.Stage == StageNames.ResponseGeneration);
        foreach (var record in result.Items)
        {
            Assert.True(record.Meta.Citations!.Count > 0, WildLong.Core.Generation.TrainingRecordJsonl.Serialize(record)[^3000..]);
            foreach (var citation in record.Meta.Citations!)
            {
                Assert.True(citation.Verified);
                var source = documents.Single(d => d.Id == record.Meta.DocumentIds[citation.Document - 1]);
                Assert.Contains(citation.Quote, SampleDocuments.NormalizeSpace(source.Text), StringComparison.Ordinal);
            }

            Assert.DoesNotContain(" [1]", record.Messages[1].Content, StringComparison.Ordinal);
            if (record.Meta.DocumentIds.Count > 1)
            {
                Assert.Equal(record.Meta.DocumentIds.Count, record.Meta.Citations!.Select(c => c.Document).Distinct().Count());
            }
        }

        // Misfits happen at a small rate; each moved its pair to other document(s) (the record, or the judge's
        // rejection of it, then carries a new pair id) or was quarantined as a misfit once re-pairing ran out.
        Assert.InRange(recorder.Misfits, 1, 8);
        var planned = batch.Select(p => p.Plan.Id).ToHashSet(StringComparer.Ordinal);
        var moved = result.Items.Count(r => r.Meta.Refits > 0) + result.Quarantined.Count(q => !planned.Contains(q.ItemId!));
        var exhausted = result.Quarantined.Count(q => q.Reason.Contains("does not fit", StringComparison.Ordinal));
        Assert.True(moved >= 1, "a misfit must be re-paired");
        Assert.InRange(moved + exhausted, 1, recorder.Misfits);
        Assert.All(result.Items.Where(r => r.Meta.Refits > 0), r => Assert.DoesNotContain(r.Meta.Id, planned));
    }

    /// <summary>The adapter's multi-document convention (InstructionAdapter.NamesAllDocuments for three documents).</summary>
    private static bool InstructionAdapterConvention(string text)
        => text.Contains("documents", StringComparison.OrdinalIgnoreCase)
            || Enumerable.Range(1, 3).All(i => text.Contains($"Document {i}", StringComparison.OrdinalIgnoreCase));

    /// <summary>Counts the adaptation answers that say the instruction does not fit.</summary>
    private sealed class AdaptationRecorder(IChatClient inner) : DelegatingChatClient(inner)
    {
        private int misfits;

        public int Misfits => misfits;

        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken);
            if ((options?.ResponseFormat as ChatResponseFormatJson)?.SchemaName == "adapted_instruction")
            {
                using var json = JsonDocument.Parse(response.Text);
                if (json.RootElement.TryGetProperty("fits", out var fits) && fits.ValueKind == JsonValueKind.False)
                {
                    Interlocked.Increment(ref misfits);
                }
            }

            return response;
        }
    }
}
