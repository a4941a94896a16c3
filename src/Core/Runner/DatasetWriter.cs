using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using WildLong.Core.Common;
using WildLong.Core.Generation;
using WildLong.Core.Prompts;
using WildLong.Core.Reports;

namespace WildLong.Core.Runner;

/// <summary>
/// Writes one run's dataset folder: <c>pairs.jsonl</c> (chat-format records), <c>pairs.parquet</c>, <c>quarantine.jsonl</c> (every
/// rejected item with its stage and reason), <c>graphs.json</c>, <c>manifest.json</c> (counts, rejections, tokens,
/// configuration, seed, versions, run fingerprint), a dataset card (<c>README.md</c>), what the report needs beyond those
/// (<c>report-inputs.json</c>, when the run collected it) and the dataset report (<c>report.json</c>, <c>report.html</c>).
/// Files are replaced whole, so re-running into the same folder never duplicates records.
/// </summary>
public static class DatasetWriter
{
    private static readonly JsonSerializerOptions Indented = new(WildLongJson.Options) { WriteIndented = true };

    public static async Task<string> WriteAsync(string folder, MethodRunResult result, DatasetManifestExtras extras, CancellationToken cancellationToken)
        => await WriteAsync(folder, result, extras, null, cancellationToken);

    /// <summary>Writes the dataset and its report, built with <paramref name="reportBuilder"/> (the local embedding model when null).</summary>
    public static async Task<string> WriteAsync(string folder, MethodRunResult result, DatasetManifestExtras extras, DatasetReportBuilder? reportBuilder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(extras);
        Directory.CreateDirectory(folder);
        await TrainingRecordJsonl.WriteAsync(Path.Combine(folder, PairsFileName), result.Records, append: false, cancellationToken);
        return await WriteAroundPairsAsync(folder, result, extras, reportBuilder, cancellationToken);
    }

    /// <summary>
    /// Writes the dataset folder around a <c>pairs.jsonl</c> the caller has already put in it: one line per record of
    /// <paramref name="result"/>, in the same order. For hosts whose pairs do not fit in memory (each holds its
    /// documents; 10,000 pairs are gigabytes) and are streamed into the file instead: the records then need only their
    /// meta-information, which is all the manifest and the card read. <c>pairs.parquet</c> is written from the file a
    /// row group at a time; a file whose pairs are not the records' count is refused (<see cref="InvalidDataException"/>).
    /// </summary>
    public static async Task<string> WriteAroundPairsAsync(string folder, MethodRunResult result, DatasetManifestExtras extras, DatasetReportBuilder? reportBuilder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(extras);
        var pairsPath = Path.Combine(folder, PairsFileName);
        var rows = await TrainingRecordParquet.WriteAsync(Path.Combine(folder, "pairs.parquet"), ReadPairsAsync(pairsPath, cancellationToken), cancellationToken);
        if (rows != result.Records.Count)
        {
            throw new InvalidDataException($"{pairsPath}: {rows} pairs, but the run kept {result.Records.Count}");
        }

        await File.WriteAllLinesAsync(Path.Combine(folder, "quarantine.jsonl"),
            result.Quarantined.Select(q => JsonSerializer.Serialize(q, WildLongJson.Options)), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "graphs.json"), result.Graphs.ToJson(), cancellationToken);
        var inputsPath = Path.Combine(folder, DatasetReportInputs.FileName);
        if (result.ReportInputs is { } inputs)
        {
            await File.WriteAllTextAsync(inputsPath, JsonSerializer.Serialize(inputs, WildLongJson.Options), cancellationToken);
        }
        else if (File.Exists(inputsPath))
        {
            File.Delete(inputsPath);
        }

        var manifest = new
        {
            Dataset = "wildlong",
            CreatedBy = "WildLong " + Version,
            Pairs = result.Records.Count,
            extras.Seed,
            extras.Model,
            extras.Simulated,
            extras.Configuration,
            result.Scope,
            result.NoPairsReason,
            Fingerprint = extras.Fingerprint is { } fingerprint
                ? new { fingerprint.Hash, Components = fingerprint.Components.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal) }
                : null,
            Counts = result.Counts,
            Rejections = result.Quarantined
                .GroupBy(q => q.Stage, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.GroupBy(q => Reason(q.Reason), StringComparer.Ordinal).ToDictionary(r => r.Key, r => r.Count(), StringComparer.Ordinal), StringComparer.Ordinal),
            Tokens = result.Usage,
            extras.Cost,
            extras.CachedPriceRatio,
            PromptVersions = result.Records.SelectMany(r => r.Meta.PromptVersions).Concat(extras.Prompts ?? PromptLibrary.Default.Ids)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            TaskKinds = result.Records.GroupBy(r => r.Meta.TaskKind).ToDictionary(g => g.Key.ToString(), g => g.Count()),
            SingleDocumentLengthBuckets = result.Records
                .Where(r => r.Meta.TaskKind == TaskKind.SingleDocument && r.Meta.LengthBuckets.Count > 0)
                .GroupBy(r => r.Meta.LengthBuckets[0], StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            InstructionPositions = result.Records.GroupBy(r => r.Meta.InstructionPosition).ToDictionary(g => g.Key.ToString(), g => g.Count()),
            DocumentTypes = result.Records.GroupBy(r => r.Meta.DocumentType, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Graphs = result.GraphReport,
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(manifest, Indented), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "README.md"), Card(result, extras), cancellationToken);
        await DatasetReportWriter.WriteAsync(folder, reportBuilder, cancellationToken);
        return folder;
    }

    /// <summary>The pairs of a dataset folder, one JSON line each (chat format: <c>messages</c> + <c>meta</c>).</summary>
    public const string PairsFileName = "pairs.jsonl";

    /// <summary>The records of a pairs file one at a time (a line holds its documents: no limit on its length).</summary>
    private static async IAsyncEnumerable<TrainingRecord> ReadPairsAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await foreach (var record in TrainingRecordJsonl.ReadAsync(stream, path, Array.MaxLength, cancellationToken))
        {
            yield return record.Value ?? throw new InvalidDataException(record.Error!.ToString());
        }
    }

    private static string Version => typeof(DatasetWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    /// <summary>Groups reasons by their first clause so "rejected by the judge: …" variants count together (the manifest and the report).</summary>
    internal static string Reason(string reason)
    {
        var cut = reason.IndexOfAny([':', '(', '\'']);
        return (cut > 0 ? reason[..cut] : reason).Trim();
    }

    private static string Card(MethodRunResult result, DatasetManifestExtras extras)
    {
        var c = result.Counts;
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine("# WildLong dataset").AppendLine();
        if (extras.Simulated)
        {
            text.AppendLine("> **Simulated.** Every model answer in this dataset came from the WildLong simulator, not a real model.")
                .AppendLine("> It exercises the pipeline; it is not training data.").AppendLine();
        }

        text.AppendLine(culture, $"Long-context instruction–response pairs synthesized with the WildLong method (arXiv 2502.16684), model `{extras.Model}`, seed {extras.Seed}.").AppendLine();
        if (result.NoPairsReason is { } reason)
        {
            text.AppendLine(culture, $"**No pairs:** {reason}.").AppendLine();
        }

        text.AppendLine("| | count |").AppendLine("|---|---:|");
        foreach (var (label, value) in new (string, int)[]
        {
            ("queries read", c.QueriesRead), ("queries filtered (no document)", c.QueriesFiltered), ("meta-information records", c.MetaInfoRecords),
            ("documents indexed", c.DocumentsIndexed), ("paths sampled", c.PathsSampled), ("instructions", c.Instructions),
            ("pairs planned", c.PairsPlanned), ("pairs generated", c.PairsGenerated), ("pairs rejected", c.PairsRejected),
            ("near-duplicates removed", c.NearDuplicatesRemoved), ("pairs kept", c.PairsKept),
        })
        {
            text.AppendLine(culture, $"| {label} | {value} |");
        }

        if (result.Scope is { } scope)
        {
            text.AppendLine().AppendLine(scope.Mode == RunScopeReport.AllInputs
                ? "Inputs (accumulating mode: every query shard merged and every document indexed in the account):"
                : "Inputs (this run's own; nothing else in the workspace or account was read):");
            text.AppendLine().AppendLine("| input | name | version | items |").AppendLine("|---|---|---|---:|");
            foreach (var (kind, input) in scope.QueryShards.Select(q => ("query shard", q)).Concat(scope.Corpora.Select(c => ("corpus", c))))
            {
                text.AppendLine(culture, $"| {kind} | `{input.Name}` | `{input.Version}` | {input.Items?.ToString(culture) ?? "-"} |");
            }
        }

        if (result.GraphReport is { Borrowings.Count: > 0 } report)
        {
            text.AppendLine().AppendLine("Document types that did not sample paths from a graph of their own only:").AppendLine();
            foreach (var borrowing in report.Borrowings)
            {
                text.AppendLine(culture, $"- `{borrowing.DocumentType}`: {borrowing.Kind.ToString().ToLowerInvariant()} from `{borrowing.Source}` ({borrowing.Reason})");
            }
        }

        if (result.GraphReport is { Paths: > 0 } written)
        {
            text.AppendLine().AppendLine(culture, $"Real users' words given to the instruction writer: {written.PathsWithExamples} of {written.Paths} paths carried excerpts of real requests with their task, {written.PathsWithDetails} carried users' own words for their values ({written.DetailsShown} phrases).");
        }

        text.AppendLine().AppendLine("Files: `pairs.jsonl` (chat format: `messages` + `meta`), `pairs.parquet` (the same records with flat columns to filter on), `quarantine.jsonl` (every rejected item with stage and reason), `graphs.json` (meta-information co-occurrence graphs), `manifest.json`, `report.html` and `report.json` (the dataset report: funnel, coverage, graphs, fields, diversity, realism, grounding, judge scores, cost; open `report.html` in a browser, it works offline).")
            .AppendLine();
        if (extras.Fingerprint is { } fingerprint)
        {
            Fingerprint(text, fingerprint);
        }

        text.AppendLine("Sources and licences of the input queries and documents travel with the inputs; see their `license` fields.");
        return text.ToString();
    }

    private static void Fingerprint(StringBuilder text, RunFingerprint fingerprint)
    {
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine("## Run fingerprint").AppendLine()
            .AppendLine(culture, $"`{fingerprint.Hash}` — a hash of every setting and artefact that shapes this data: the method version, the meta-information schema, the taxonomy, each prompt's version and text, each option section of the method (sampling, graphs, generation, …; parallelism, quotas and batch sizes left out) and the model. The run id derives from it and the inputs, so changing any part starts a new run. Parts (a value, or a short hash of the part's content):")
            .AppendLine().AppendLine("| part | value |").AppendLine("|---|---|");
        foreach (var component in fingerprint.Components)
        {
            text.AppendLine(culture, $"| {component.Name} | `{component.Value}` |");
        }

        text.AppendLine();
    }
}

/// <summary>
/// What the host knows about a run that the method does not: model, seed, cost, configuration, and the prompts
/// (name@version, from the host's <see cref="PromptLibrary.Ids"/>; the built-in ones when null), which the
/// manifest lists in full together with any version the records carry; the run's fingerprint; and the price of a
/// cached input token as a share of an uncached one (for the report's billed input per kept pair).
/// </summary>
public sealed record DatasetManifestExtras(
    string Model,
    ulong Seed,
    bool Simulated,
    object? Cost,
    IReadOnlyDictionary<string, string?> Configuration,
    IReadOnlyList<string>? Prompts = null,
    RunFingerprint? Fingerprint = null,
    double? CachedPriceRatio = null);
