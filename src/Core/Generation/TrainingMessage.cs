namespace WildLong.Core.Generation;

/// <summary>One chat turn of a training record, in the role/content shape fine-tuning APIs expect.</summary>
public sealed record TrainingMessage(string Role, string Content)
{
    public const string UserRole = "user";
    public const string AssistantRole = "assistant";
}
