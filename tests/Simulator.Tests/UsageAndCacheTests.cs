using System.ClientModel;
using OpenAI.Chat;
using WildLong.Core.Documents;
using WildLong.Simulator.Tests.Support;

namespace WildLong.Simulator.Tests;

/// <summary>Usage counted with o200k_base, and cached_tokens following Azure's prompt-cache rules.</summary>
public sealed class UsageAndCacheTests
{
    [Fact]
    public async Task Prompt_tokens_are_the_o200k_count_of_the_contents_plus_per_message_overhead()
    {
        await using var server = await Sim.StartAsync();
        const string System = "You are a careful assistant.";
        const string User = "Which clauses of the contract mention indemnification?";

        ClientResult<ChatCompletion> result = await Sim.OpenAI(server).GetChatClient("gpt-4o").CompleteChatAsync([new SystemChatMessage(System), new UserChatMessage(User)]);

        var expected = TokenCounter.Shared.Count(System) + TokenCounter.Shared.Count(User) + (2 * 3) + 3;
        Assert.Equal(expected, result.Value.Usage.InputTokenCount);
        Assert.Equal(TokenCounter.Shared.Count(result.Value.Content[0].Text), result.Value.Usage.OutputTokenCount);
        Assert.Equal(0, result.Value.Usage.InputTokenDetails.CachedTokenCount);
    }

    [Fact]
    public async Task A_repeated_long_prefix_is_cached_in_128_token_steps_and_a_short_prompt_never_is()
    {
        var time = new ManualTimeProvider();
        await using var server = await Sim.StartAsync(time: time);
        var chat = Sim.Azure(server).GetChatClient("gpt-4o-mini");
        var system = new SystemChatMessage("Answer from this document.\n\n" + SampleDocuments.Text(1, 12_000));

        var first = (await chat.CompleteChatAsync([system, new UserChatMessage("What is the first main point?")])).Value.Usage;
        var second = (await chat.CompleteChatAsync([system, new UserChatMessage("Who is the intended audience?")])).Value.Usage;
        var shortOnce = (await chat.CompleteChatAsync([new UserChatMessage("A short question about the weather.")])).Value.Usage;
        var shortAgain = (await chat.CompleteChatAsync([new UserChatMessage("A short question about the weather.")])).Value.Usage;

        var systemTokens = TokenCounter.Shared.Count(system.Content[0].Text);
        Assert.True(systemTokens > 1_500, $"the sample prefix should be long, was {systemTokens}");
        Assert.Equal(0, first.InputTokenDetails.CachedTokenCount);
        var cached = second.InputTokenDetails.CachedTokenCount;
        Assert.True(cached >= 1_024, $"cached {cached}");
        Assert.Equal(0, cached % 128);
        Assert.True(cached <= systemTokens + 2, "only the shared prefix (role markers + system message) can be cached");
        Assert.True(cached > systemTokens - 128, $"every full shared 128-token block is cached: {cached} of {systemTokens}");
        Assert.True(shortOnce.InputTokenCount < 1_024);
        Assert.Equal(0, shortAgain.InputTokenDetails.CachedTokenCount);

        var metrics = server.Metrics.Snapshot().Totals;
        Assert.Equal(1, metrics.CacheHits);
        Assert.Equal(cached, metrics.CachedTokens);
    }

    [Fact]
    public async Task The_cache_forgets_a_prefix_after_the_window_and_is_per_deployment()
    {
        var time = new ManualTimeProvider();
        await using var server = await Sim.StartAsync(o => o.CacheWindowMinutes = 5, time);
        var client = Sim.Azure(server);
        ChatMessage[] prompt = [new UserChatMessage(SampleDocuments.Text(3, 10_000) + "\n\nSummarize.")];

        await client.GetChatClient("gpt-4o-mini").CompleteChatAsync(prompt);
        time.Advance(TimeSpan.FromMinutes(4));
        var withinWindow = (await client.GetChatClient("gpt-4o-mini").CompleteChatAsync(prompt)).Value.Usage.InputTokenDetails.CachedTokenCount;
        var otherDeployment = (await client.GetChatClient("gpt-4o").CompleteChatAsync(prompt)).Value.Usage.InputTokenDetails.CachedTokenCount;
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var afterWindow = (await client.GetChatClient("gpt-4o-mini").CompleteChatAsync(prompt)).Value.Usage.InputTokenDetails.CachedTokenCount;

        Assert.True(withinWindow >= 1_024);
        Assert.Equal(0, otherDeployment);
        Assert.Equal(0, afterWindow);
    }
}
