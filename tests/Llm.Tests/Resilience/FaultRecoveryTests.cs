using System.Text.Json;
using Microsoft.Extensions.AI;
using WildLong.Core.Model;
using WildLong.Llm.Resilience;
using WildLong.Llm.Tests.Support;
using WildLong.Simulator;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace WildLong.Llm.Tests.Resilience;

/// <summary>
/// Every fault the simulator injects ends, through <see cref="LlmCaller"/>, in a success after a retry or in a
/// failure with a clear reason — never in an exception or a hang. Fault draws are deterministic (fault seed, request
/// content, how often it was seen), so these outcomes are the same on every run.
/// </summary>
public sealed class FaultRecoveryTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","additionalProperties":false,"required":["task_request","document_type","constraints"],
         "properties":{"task_request":{"type":"string"},
                       "document_type":{"type":"string","enum":["contract","paper","transcript","other"]},
                       "constraints":{"type":"array","items":{"type":"string"},"maxItems":3}}}
        """).RootElement;

    private static Task<LlmResult[]> TextCallsAsync(ModelHarness harness, int count)
        => Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            harness.Caller.CompleteTextAsync("answer", [new ChatMessage(ChatRole.User, SampleQueries.Texts[i])], 300, i, CancellationToken.None)));

    private static Task<LlmResult[]> JsonCallsAsync(ModelHarness harness, int count)
        => Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            harness.Caller.CompleteJsonAsync("extraction", [new ChatMessage(ChatRole.User, SampleQueries.Texts[i])], Schema, "extraction", 400, i, null, CancellationToken.None)));

    [Theory]
    [InlineData(FaultKind.ServerError)]
    [InlineData(FaultKind.ServiceUnavailable)]
    [InlineData(FaultKind.ConnectionReset)]
    public async Task Transport_faults_are_retried_until_every_call_succeeds(FaultKind kind)
    {
        await using var harness = await ModelHarness.StartAsync(simulator: o => SetRate(o.Faults, kind, 0.4));

        var results = await TextCallsAsync(harness, 8);

        Assert.All(results, r => Assert.True(r.Success, r.FailureReason));
        var faults = harness.Faults(kind);
        Assert.True(faults > 0, "the fault should have been injected at least once");
        var usage = harness.Ledger.Snapshot()["answer"];
        Assert.Equal(faults, usage.Retries);
        Assert.Equal((8L, 0L), (usage.Calls, usage.FailedCalls));
    }

    [Fact]
    public async Task A_hung_attempt_ends_at_the_per_attempt_timeout_and_is_retried()
    {
        await using var harness = await ModelHarness.StartAsync(
            simulator: o => o.Faults.HangRate = 0.4,
            model: o => o.RequestTimeout = TimeSpan.FromMilliseconds(1500));

        var results = await TextCallsAsync(harness, 10);

        Assert.All(results, r => Assert.True(r.Success, r.FailureReason));
        var hangs = harness.Faults(FaultKind.Hang);
        Assert.True(hangs > 0);
        // Every hang ends at the timeout and is retried; on a loaded machine an answer slower than the timeout is
        // retried too (CI saw 8 retries for 7 hangs at 700 ms), so the retries are at least the hangs, never fewer.
        var retries = harness.Ledger.Snapshot()["answer"].Retries;
        Assert.True(retries >= hangs, $"{hangs} hangs but only {retries} retries");
    }

    [Fact]
    public async Task A_call_that_keeps_hanging_fails_with_a_timeout_reason_once_retries_run_out()
    {
        await using var harness = await ModelHarness.StartAsync(
            simulator: o => o.Faults.HangRate = 1,
            model: o =>
            {
                o.RequestTimeout = TimeSpan.FromMilliseconds(300);
                o.MaxRetries = 2;
            });

        var result = Assert.Single(await TextCallsAsync(harness, 1));

        Assert.False(result.Success);
        Assert.Contains("timeout", result.FailureReason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, harness.Wire.Exchanges.Count);
    }

    [Fact]
    public async Task Malformed_json_every_time_fails_after_two_retries_with_a_reason_naming_the_bad_body()
    {
        await using var harness = await ModelHarness.StartAsync(simulator: o => o.Faults.MalformedJsonRate = 1);

        var result = Assert.Single(await TextCallsAsync(harness, 1));

        Assert.False(result.Success);
        Assert.Contains("not valid JSON", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal(1 + TransientFailures.MalformedBodyRetries, harness.Wire.Exchanges.Count);
        Assert.Equal(TransientFailures.MalformedBodyRetries, harness.Ledger.Snapshot()["answer"].Retries);
    }

    [Fact]
    public async Task An_occasional_malformed_body_is_retried_and_the_call_succeeds()
    {
        await using var harness = await ModelHarness.StartAsync(simulator: o => o.Faults.MalformedJsonRate = 0.3);

        var results = await TextCallsAsync(harness, 10);

        Assert.All(results, r => Assert.True(r.Success, r.FailureReason));
        Assert.True(harness.Faults(FaultKind.MalformedJson) > 0, "no body was malformed; the test shows nothing");
    }

    [Fact]
    public async Task Transport_failures_before_do_not_use_up_the_retries_of_a_malformed_body()
    {
        // Two dropped connections, then two bodies that do not parse, then an answer: every attempt is retried.
        var inner = new ScriptedChatClient(new HttpRequestException("reset"), new HttpRequestException("reset"), new JsonException("cut"), new JsonException("cut"));
        var options = new ModelOptions { MaxRetries = 6, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(1) };
        var ledger = new UsageLedger();
        using var client = new ResilientChatClient(inner, ModelResilience.BuildRetryPipeline(options, ledger, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance), ledger);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal("answer", response.Text);
        Assert.Equal(5, inner.Calls);

        // A third malformed body is not retried.
        var always = new ScriptedChatClient(new JsonException("cut"), new JsonException("cut"), new JsonException("cut"), new JsonException("cut"));
        using var failing = new ResilientChatClient(always, ModelResilience.BuildRetryPipeline(options, ledger, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance), ledger);
        await Assert.ThrowsAsync<MalformedModelResponseException>(() => failing.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));
        Assert.Equal(1 + TransientFailures.MalformedBodyRetries, always.Calls);
    }

    /// <summary>Throws the given exceptions in turn, then answers "answer".</summary>
    private sealed class ScriptedChatClient(params Exception[] failures) : IChatClient
    {
        public int Calls { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => Calls++ < failures.Length ? Task.FromException<ChatResponse>(failures[Calls - 1]) : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer")));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task Truncated_free_text_fails_with_the_truncation_reason()
    {
        await using var harness = await ModelHarness.StartAsync(simulator: o => o.Faults.TruncatedContentRate = 1);

        var result = Assert.Single(await TextCallsAsync(harness, 1));

        Assert.False(result.Success);
        Assert.Contains("truncated", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FaultKind.TruncatedContent)]
    [InlineData(FaultKind.SchemaViolation)]
    public async Task Bad_structured_answers_are_repaired_by_the_structured_retry(FaultKind kind)
    {
        await using var harness = await ModelHarness.StartAsync(simulator: o => SetRate(o.Faults, kind, 0.3), maxStructuredAttempts: 4);

        var results = await JsonCallsAsync(harness, 8);

        Assert.All(results, r => Assert.True(r.Success, r.FailureReason));
        Assert.Contains(results, r => r.Attempts > 1);
        Assert.True(harness.Faults(kind) > 0);
        Assert.All(results, r => Assert.Empty(JsonSchemaInstanceValidator.Validate(Schema, r.Value)));
    }

    [Fact]
    public async Task A_structured_call_that_never_gets_a_valid_answer_fails_with_the_validation_error()
    {
        await using var harness = await ModelHarness.StartAsync(simulator: o => o.Faults.SchemaViolationRate = 1, maxStructuredAttempts: 2);

        var result = Assert.Single(await JsonCallsAsync(harness, 1));

        Assert.False(result.Success);
        Assert.StartsWith("invalid structured output after 2 attempts", result.FailureReason, StringComparison.Ordinal);
        Assert.Contains("schema", result.FailureReason, StringComparison.Ordinal);
    }

    private static void SetRate(FaultOptions faults, FaultKind kind, double rate)
    {
        switch (kind)
        {
            case FaultKind.ServerError: faults.ServerErrorRate = rate; break;
            case FaultKind.ServiceUnavailable: faults.ServiceUnavailableRate = rate; break;
            case FaultKind.ConnectionReset: faults.ConnectionResetRate = rate; break;
            case FaultKind.Hang: faults.HangRate = rate; break;
            case FaultKind.MalformedJson: faults.MalformedJsonRate = rate; break;
            case FaultKind.TruncatedContent: faults.TruncatedContentRate = rate; break;
            case FaultKind.SchemaViolation: faults.SchemaViolationRate = rate; break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }
}
