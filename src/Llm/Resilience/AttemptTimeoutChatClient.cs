using Microsoft.Extensions.AI;
using Polly;

namespace WildLong.Llm.Resilience;

/// <summary>
/// Bounds one attempt at the model with Polly's timeout strategy (<see cref="ModelOptions.RequestTimeout"/>). It sits
/// below the quota limiter, so only the time the model takes counts, not the wait for quota; a hung connection ends
/// in a <c>TimeoutRejectedException</c> that the retry layer above treats as transient.
/// </summary>
public sealed class AttemptTimeoutChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline pipeline;

    public AttemptTimeoutChatClient(IChatClient innerClient, ResiliencePipeline pipeline)
        : base(innerClient)
        => this.pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => await pipeline.ExecuteAsync(
            static async (state, ct) => await state.Self.InnerGetAsync(state.Messages, state.Options, ct),
            (Self: this, Messages: messages, Options: options),
            cancellationToken);

    private Task<ChatResponse> InnerGetAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
        => base.GetResponseAsync(messages, options, cancellationToken);
}
