namespace WildLong.Functions.Http;

/// <summary>
/// Where to look next for a run: its status, how to stop or purge it, its dataset's container and folder, and — once
/// the dataset is written — the blobs of its report (<c>report.html</c>, self-contained, and <c>report.json</c>) in
/// that container.
/// </summary>
public sealed record RunLinksView(string Status, string Terminate, string Purge, string? DatasetContainer, string? DatasetPrefix, string? Report = null, string? ReportJson = null);
