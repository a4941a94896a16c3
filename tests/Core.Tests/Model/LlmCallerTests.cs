using System.Text.Json;
using Microsoft.Extensions.AI;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Model;

public sealed class LlmCallerTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","additionalProperties":false,"required":["answer"],"properties":{"answer":{"type":"string"}}}
        """).RootElement;

    [Fact]
    public async Task Invalid_json_is_retried_with_the_error_and_then_accepted()
    {
        var chat = ScriptedChatClient.Sequence("not json", """{"answer":"ok"}""");
        var caller = TestLlm.Caller(chat);

        var result = await caller.CompleteJsonAsync("s", [new ChatMessage(ChatRole.User, "q")], Schema, "a", 50, null, null, CancellationToken.None);

        Assert.True(result.Success);
        Assert.Equal(2, result.Attempts);
        var retry = chat.Requests.Last().Messages;
        Assert.Equal("not json", retry[^2].Text);
        Assert.Contains("not valid JSON", retry[^1].Text, StringComparison.Ordinal);
        Assert.Equal(2, caller.Ledger.Snapshot()["s"].Calls);
    }

    [Fact]
    public async Task Extra_validation_failures_exhaust_the_attempts_and_report_the_last_reason()
    {
        var chat = ScriptedChatClient.FromText((_, _) => """{"answer":"no"}""");
        var caller = TestLlm.Caller(chat, maxStructuredAttempts: 2);

        var result = await caller.CompleteJsonAsync("s", [new ChatMessage(ChatRole.User, "q")], Schema, "a", 50, null,
            v => v.GetProperty("answer").GetString() == "yes" ? null : "answer must be yes", CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal(2, result.Attempts);
        Assert.Contains("answer must be yes", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal("""{"answer":"no"}""", result.RawOutput);
    }

    [Fact]
    public async Task Truncated_text_is_a_failure_and_transport_errors_do_not_throw()
    {
        var truncated = TestLlm.Caller(new ScriptedChatClient((m, _) => ScriptedChatClient.Reply("half an ans", m, ChatFinishReason.Length)));
        var broken = TestLlm.Caller(new ScriptedChatClient((_, _) => throw new HttpRequestException("connection reset")));

        var cut = await truncated.CompleteTextAsync("s", [new ChatMessage(ChatRole.User, "q")], 5, null, CancellationToken.None);
        var failed = await broken.CompleteTextAsync("s", [new ChatMessage(ChatRole.User, "q")], 5, null, CancellationToken.None);

        Assert.False(cut.Success);
        Assert.Contains("finish_reason=length", cut.FailureReason, StringComparison.Ordinal);
        Assert.False(failed.Success);
        Assert.Contains("connection reset", failed.FailureReason, StringComparison.Ordinal);
        Assert.Equal(1, broken.Ledger.Snapshot()["s"].FailedCalls);
    }

    [Fact]
    public async Task Cancellation_is_not_swallowed()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var caller = TestLlm.Caller(new ScriptedChatClient((_, _) => throw new OperationCanceledException(cts.Token)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            caller.CompleteTextAsync("s", [new ChatMessage(ChatRole.User, "q")], 5, null, cts.Token));
    }

    [Fact]
    public async Task Every_call_carries_its_stage_and_a_bounded_output()
    {
        var chat = ScriptedChatClient.Sequence("fine");
        await TestLlm.Caller(chat).CompleteTextAsync("my-stage", [new ChatMessage(ChatRole.User, "q")], 77, 9, CancellationToken.None);

        var options = Assert.Single(chat.Requests).Options!;
        Assert.Equal("my-stage", options.AdditionalProperties![WildLong.Core.Model.LlmCaller.StageKey]);
        Assert.Equal(77, options.MaxOutputTokens);
        Assert.Equal(9, options.Seed);
    }
}
