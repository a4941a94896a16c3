namespace WildLong.Functions.Http;

/// <summary>Where to look next for a run: its status, how to stop or purge it, and its dataset's container and folder.</summary>
public sealed record RunLinksView(string Status, string Terminate, string Purge, string? DatasetContainer, string? DatasetPrefix);
