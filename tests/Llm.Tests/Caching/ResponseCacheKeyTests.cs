using System.Text.Json;
using Microsoft.Extensions.AI;
using WildLong.Core.Model;
using WildLong.Llm.Caching;

namespace WildLong.Llm.Tests.Caching;

/// <summary>What the response-cache key depends on, and what it must not depend on (the stage tag).</summary>
public sealed class ResponseCacheKeyTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}""").RootElement;
    private static readonly JsonElement OtherSchema = JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string"},"score":{"type":"integer"}},"required":["answer","score"],"additionalProperties":false}""").RootElement;

    [Fact]
    public void The_same_request_always_has_the_same_well_formed_key()
    {
        var first = Key();
        var second = Key();

        Assert.Equal(first, second);
        Assert.True(ResponseCacheKey.IsValid(first));
    }

    [Fact]
    public void Every_setting_that_changes_the_answer_changes_the_key()
    {
        var variants = new Dictionary<string, string?>
        {
            ["base"] = Key(),
            ["namespace"] = Key(cacheNamespace: "v2"),
            ["provider"] = Key(provider: "azure@other.openai.azure.com"),
            ["model"] = Key(model: "gpt-4o"),
            ["message text"] = Key(messages: CacheTestKit.Messages("Summarize the lease, briefly.")),
            ["message role"] = Key(messages: [new(ChatRole.User, "You answer questions about documents."), new(ChatRole.User, "Summarize the lease.")]),
            ["extra message"] = Key(messages: [.. CacheTestKit.Messages("Summarize the lease."), new(ChatRole.Assistant, "{}")]),
            ["schema"] = Key(configure: o => o.ResponseFormat = ChatResponseFormat.ForJsonSchema(OtherSchema, "answer")),
            ["schema name"] = Key(configure: o => o.ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "reply")),
            ["json mode"] = Key(configure: o => o.ResponseFormat = ChatResponseFormat.Json),
            ["text mode"] = Key(configure: o => o.ResponseFormat = ChatResponseFormat.Text),
            ["max tokens"] = Key(configure: o => o.MaxOutputTokens = 301),
            ["seed"] = Key(configure: o => o.Seed = 43),
            ["temperature"] = Key(configure: o => o.Temperature = 0.2f),
            ["top p"] = Key(configure: o => o.TopP = 0.9f),
            ["stop"] = Key(configure: o => o.StopSequences = ["END"]),
            ["strict flag"] = Key(configure: o => o.AdditionalProperties!["strict"] = false),
        };

        Assert.All(variants.Values, k => Assert.NotNull(k));
        Assert.Equal(variants.Count, variants.Values.Distinct().Count());
    }

    [Fact]
    public void The_stage_tag_is_not_part_of_the_key()
    {
        var asExtraction = Key(configure: o => o.AdditionalProperties![LlmCaller.StageKey] = "metainfo-extraction");
        var asJudge = Key(configure: o => o.AdditionalProperties![LlmCaller.StageKey] = "quality-judge");
        var untagged = Key(configure: o => o.AdditionalProperties!.Remove(LlmCaller.StageKey));

        Assert.Equal(asExtraction, asJudge);
        Assert.Equal(asExtraction, untagged);
    }

    [Fact]
    public void Requests_with_tools_or_non_text_content_are_not_cacheable()
    {
        var withTool = Key(configure: o => o.Tools = [AIFunctionFactory.Create(() => 42, "answer")]);
        var withImage = Key(messages: [new(ChatRole.User, [new TextContent("Describe"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")])]);

        Assert.Null(withTool);
        Assert.Null(withImage);
    }

    private static string? Key(string cacheNamespace = "v1", string provider = "openai@127.0.0.1", string model = "gpt-4o-mini",
        IEnumerable<ChatMessage>? messages = null, Action<ChatOptions>? configure = null)
    {
        var options = new ChatOptions
        {
            MaxOutputTokens = 300,
            Seed = 42,
            Temperature = 0.7f,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "answer"),
            AdditionalProperties = new AdditionalPropertiesDictionary { [LlmCaller.StageKey] = "metainfo-extraction", ["strict"] = true },
        };
        configure?.Invoke(options);
        return ResponseCacheKey.Compute(cacheNamespace, provider, model, messages ?? CacheTestKit.Messages("Summarize the lease."), options);
    }
}
