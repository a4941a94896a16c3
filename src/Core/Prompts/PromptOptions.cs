namespace WildLong.Core.Prompts;

/// <summary>Where user-supplied prompt overrides live.</summary>
public sealed class PromptOptions
{
    public const string SectionName = "WildLong:Prompts";

    /// <summary>
    /// A folder of <c>&lt;name&gt;.prompt.txt</c> files; a file here replaces the built-in prompt of that name.
    /// Its version is suffixed with a content hash so cached answers of the built-in prompt are not reused.
    /// </summary>
    public string? OverrideDirectory { get; set; }
}
