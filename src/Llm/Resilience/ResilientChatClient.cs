using System.Text.Json;
using Microsoft.Extensions.AI;
using Polly;
using WildLong.Core.Model;

namespace WildLong.Llm.Resilience;

/// <summary>
/// The pipeline layer that retries transient failures of a model call (see <see cref="ModelResilience"/>) and counts
/// 429s against the call's stage. Failures that are not transient — and the last one after retries run out — reach
/// <see cref="LlmCaller"/>, which turns them into a quarantine reason. A response body that does not parse is
/// reported as such rather than as a bare JSON reader error. Streaming calls pass through without retries (stages
/// do not stream; a half-delivered stream cannot be replayed transparently).
/// </summary>
public sealed class ResilientChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline pipeline;
    private readonly UsageLedger ledger;

    public ResilientChatClient(IChatClient innerClient, ResiliencePipeline pipeline, UsageLedger ledger)
        : base(innerClient)
    {
        this.pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        this.ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var stage = ModelResilience.StageOf(options);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ModelResilience.StageProperty, stage);
        try
        {
            return await pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Self.AttemptAsync(state.List, state.Options, state.Stage, ctx.CancellationToken),
                context,
                (Self: this, List: list, Options: options, Stage: stage));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<ChatResponse> AttemptAsync(IReadOnlyCollection<ChatMessage> messages, ChatOptions? options, string stage, CancellationToken cancellationToken)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception ex) when (TransientFailures.IsThrottled(ex))
        {
            ledger.RecordThrottled(stage);
            throw;
        }
        catch (JsonException ex)
        {
            throw new MalformedModelResponseException($"the model endpoint returned a response body that is not valid JSON ({ex.Message})", ex);
        }
    }
}
