namespace WildLong.Simulator.Generation;

/// <summary>The assistant message the simulator produced, with its finish reason and output token count.</summary>
internal sealed record GeneratedCompletion(string Content, string FinishReason, int CompletionTokens);
