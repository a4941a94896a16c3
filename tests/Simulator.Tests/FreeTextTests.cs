using System.ClientModel;
using System.Text.RegularExpressions;
using OpenAI.Chat;
using WildLong.Core.Documents;
using WildLong.Simulator.Tests.Support;

namespace WildLong.Simulator.Tests;

/// <summary>Free-text answers: they quote the request's long document, and max_tokens cuts them with finish_reason=length.</summary>
public sealed partial class FreeTextTests
{
    [Fact]
    public async Task Answer_over_a_long_document_quotes_two_to_four_of_its_sentences()
    {
        await using var server = await Sim.StartAsync();
        var chat = Sim.OpenAI(server).GetChatClient("gpt-4o-mini");
        var document = SampleDocuments.Text(2);

        ClientResult<ChatCompletion> result = await chat.CompleteChatAsync(
            [new SystemChatMessage("Answer from the document only."), new UserChatMessage("Document:\n" + document + "\n\nWhat are the main points?")],
            new ChatCompletionOptions { MaxOutputTokenCount = 2_000 });

        var quotes = Quote().Matches(result.Value.Content[0].Text).Select(m => m.Groups[1].Value).ToList();
        Assert.InRange(quotes.Count, 2, 4);
        var normalizedDocument = SampleDocuments.NormalizeSpace(document);
        Assert.All(quotes, q => Assert.Contains(q, normalizedDocument, StringComparison.Ordinal));
        Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
    }

    [Fact]
    public async Task Tiny_max_tokens_cuts_the_answer_and_reports_length()
    {
        await using var server = await Sim.StartAsync();
        var chat = Sim.Azure(server).GetChatClient("gpt-4o-mini");
        var messages = new ChatMessage[] { new UserChatMessage("Document:\n" + SampleDocuments.Text(0) + "\n\nSummarize it.") };

        ClientResult<ChatCompletion> full = await chat.CompleteChatAsync(messages, new ChatCompletionOptions { MaxOutputTokenCount = 4_000 });
        ClientResult<ChatCompletion> cut = await chat.CompleteChatAsync(messages, new ChatCompletionOptions { MaxOutputTokenCount = 5 });

        Assert.Equal(ChatFinishReason.Length, cut.Value.FinishReason);
        Assert.Equal(5, cut.Value.Usage.OutputTokenCount);
        Assert.Equal(5, TokenCounter.Shared.Count(cut.Value.Content[0].Text));
        Assert.StartsWith(cut.Value.Content[0].Text, full.Value.Content[0].Text, StringComparison.Ordinal);
        Assert.True(full.Value.Usage.OutputTokenCount > 5);
    }

    [Fact]
    public async Task Streaming_delivers_the_same_text_and_usage_as_a_whole_answer()
    {
        await using var server = await Sim.StartAsync();
        var chat = Sim.OpenAI(server).GetChatClient("gpt-4o-mini");
        var messages = new ChatMessage[] { new UserChatMessage("Explain the difference between a lease and a licence for office space.") };

        ClientResult<ChatCompletion> whole = await chat.CompleteChatAsync(messages);
        var streamed = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(messages))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }

            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal(whole.Value.Content[0].Text, streamed.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(whole.Value.Usage.OutputTokenCount, usage.OutputTokenCount);
    }

    [GeneratedRegex(@"^> (.+)$", RegexOptions.Multiline)]
    private static partial Regex Quote();
}
