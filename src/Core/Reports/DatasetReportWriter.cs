using System.Text.Json;
using WildLong.Core.Common;

namespace WildLong.Core.Reports;

/// <summary>Writes <c>report.json</c> and the self-contained <c>report.html</c> into a finished dataset folder (replacing them whole).</summary>
public static class DatasetReportWriter
{
    private static readonly JsonSerializerOptions Indented = new(WildLongJson.Options) { WriteIndented = true };

    /// <summary>Builds the report of <paramref name="folder"/> with <paramref name="builder"/> (the local embedding model when null) and writes both files.</summary>
    public static async Task<DatasetReport> WriteAsync(string folder, DatasetReportBuilder? builder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var report = await (builder ?? DatasetReportBuilder.Default).BuildAsync(folder, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, DatasetReport.JsonFileName), JsonSerializer.Serialize(report, Indented), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, DatasetReport.HtmlFileName), DatasetReportPage.Render(report), cancellationToken);
        return report;
    }
}
