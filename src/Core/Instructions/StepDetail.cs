namespace WildLong.Core.Instructions;

/// <summary>
/// One real user's own words for a path step's value (for example "edit the language of my abstract" for the task
/// "grammar correction"), attached by <see cref="RequestExampleIndex.Attach"/> so the instruction writer can be as
/// specific as real requests are.
/// </summary>
public sealed record StepDetail(string Field, string Value, string Detail);
