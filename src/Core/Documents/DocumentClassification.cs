namespace WildLong.Core.Documents;

/// <summary>
/// A document's taxonomy type and how it was decided, so a run can report how many model calls the corpus hints
/// saved and which prompt version produced each model-decided type.
/// </summary>
/// <param name="DocumentId">The classified document.</param>
/// <param name="DocumentType">A name from the taxonomy (possibly its "other" type).</param>
/// <param name="Method"><see cref="FromHint"/> or <see cref="FromModel"/>.</param>
/// <param name="PromptId">The prompt (name@version) when the model decided; null for a hint.</param>
public sealed record DocumentClassification(string DocumentId, string DocumentType, string Method, string? PromptId = null)
{
    public const string FromHint = "hint";

    public const string FromModel = "model";
}
