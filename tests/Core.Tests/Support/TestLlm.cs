using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Model;

namespace WildLong.Core.Tests.Support;

/// <summary>Builds an <see cref="LlmCaller"/> over a test chat client.</summary>
public static class TestLlm
{
    public static LlmCaller Caller(IChatClient chat, int maxStructuredAttempts = 3)
        => new(chat, new UsageLedger(), Options.Create(new LlmCallOptions { MaxStructuredAttempts = maxStructuredAttempts }), NullLogger<LlmCaller>.Instance);
}
