using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Plotly.NET;
using WildLong.Core.Graphs;

namespace WildLong.Core.Reports;

/// <summary>
/// Renders a <see cref="DatasetReport"/> as one self-contained HTML page: plots are Plotly.NET figures, and plotly.js
/// (shipped inside the Plotly.NET assembly) is inlined, so the file works offline on its own. Every section is a
/// <c>&lt;section data-section="…"&gt;</c> and every plot a <c>&lt;div data-plot="…"&gt;</c>, which is what the browser
/// test looks for. Each figure is shown with the count it was computed over, or the reason it is missing.
/// </summary>
public static partial class DatasetReportPage
{
    /// <summary>The sections, in page order: (id, title).</summary>
    public static IReadOnlyList<(string Id, string Title)> Sections { get; } =
    [
        ("overview", "Overview"),
        ("funnel", "Funnel: from queries to kept pairs"),
        ("coverage", "Coverage: document types, task kinds, lengths"),
        ("graphs", "Meta-information graphs"),
        ("fields", "Fields"),
        ("diversity", "Diversity and realism of the instructions"),
        ("grounding", "Grounding of the answers"),
        ("judge", "Quality judge and near-duplicates"),
        ("cost", "Tokens and cost"),
        ("run", "Run scope and fingerprints"),
    ];

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(DatasetReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var page = new Page();
        page.Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw("<title>WildLong dataset report</title><style>").Raw(Style).Raw("</style><script>").Raw(PlotlyJs.Value).Raw("</script></head><body>");
        Header(page, report);
        Overview(page, report);
        Funnel(page, report);
        Coverage(page, report);
        Graphs(page, report);
        Fields(page, report);
        Diversity(page, report);
        Grounding(page, report);
        Judge(page, report);
        Cost(page, report);
        Run(page, report);
        page.Raw("</main></body></html>\n");
        return page.ToString();
    }

    private static void Header(Page page, DatasetReport report)
    {
        page.Raw("<header><h1>WildLong dataset report</h1>");
        if (report.Simulated)
        {
            page.Raw("<div class=\"simulated\" data-simulated=\"true\">SIMULATED<small>Every model answer in this dataset came from the WildLong simulator, not a real model. It exercises the pipeline; it is not training data.</small></div>");
        }

        page.Raw("<p class=\"sub\">").Text(Format(report.Pairs)).Raw(" pairs · model ").Text(report.Run.Model ?? "?").Raw(" · seed ").Text(report.Run.Seed.ToString(Invariant))
            .Raw(" · ").Text(report.Run.CreatedBy ?? "").Raw("</p><nav>");
        foreach (var (id, title) in Sections)
        {
            page.Raw("<a href=\"#").Text(id).Raw("\">").Text(title).Raw("</a>");
        }

        page.Raw("</nav></header><main>");
    }

    private static void Overview(Page page, DatasetReport report)
    {
        Open(page, "overview", "What is in this dataset: the headline figures. Each is computed over the count shown under it.");
        if (report.NoPairsReason is { } reason)
        {
            page.Raw("<p class=\"warn\">No pairs: ").Text(reason).Raw("</p>");
        }

        page.Raw("<div class=\"tiles\">");
        Tile(page, "pairs kept", ReportMetric.Of(report.Pairs, report.Pairs), "0");
        Tile(page, "cost per kept pair" + (report.Spend.Currency is { } c ? $" ({c})" : ""), report.Spend.CostPerKeptPair, "0.0000");
        Tile(page, "multi-document share", report.Mix.MultiDocumentShare, "P1");
        Tile(page, "evidence found", report.Grounding.EvidenceFound, "P1");
        Tile(page, "distinct-2", report.Diversity.Distinct2, "0.000");
        Tile(page, "embedding diversity", report.Diversity.EmbeddingDiversity, "0.000");
        Tile(page, "realism ratio", report.Diversity.RealismRatio, "0.00");
        Tile(page, "mean judge score (kept)", report.Judge.MeanKeptScore, "0.00");
        page.Raw("</div>");
        Close(page);
    }

    private static void Funnel(Page page, DatasetReport report)
    {
        Open(page, "funnel", "Items in and out of each stage; every drop with the stage that dropped it, its reason and count.");
        var steps = report.Funnel;
        var labels = new List<string>();
        var values = new List<double>();
        foreach (var step in steps.Where(s => s.Step != "other" && !s.Step.StartsWith("documents", StringComparison.Ordinal)))
        {
            if (labels.Count == 0)
            {
                labels.Add("queries read");
                values.Add(step.In);
            }

            labels.Add(step.Step.Split("→")[^1].Trim());
            values.Add(step.Out);
        }

        var funnel = new Trace2D("funnel");
        funnel.SetProperty("y", labels.Select(Label).ToArray());
        funnel.SetProperty("x", values.ToArray());
        funnel.SetProperty("textinfo", "value+percent initial");
        Plot(page, "funnel", [funnel], "Queries to kept pairs (documents are indexed beside)", null, null, height: 360, leftMargin: 170);

        var drops = steps.SelectMany(s => s.Drops.Select(d => (Label: $"{s.Step.Split("→")[0].Trim()}: {Shorten(d.Reason, 60)}", d.Count))).Reverse().ToList();
        if (drops.Count > 0)
        {
            var bar = Bar("drops", drops.Select(d => d.Label), drops.Select(d => (double)d.Count), horizontal: true);
            Plot(page, "drops", [bar], "Drops by reason", "items dropped", null, height: 120 + (22 * drops.Count), leftMargin: 380);
        }
        else
        {
            page.Raw("<div data-plot=\"drops\" class=\"note\">Nothing was dropped.</div>");
        }

        page.Raw("<table><tr><th>step</th><th class=\"n\">in</th><th class=\"n\">out</th><th>drops (stage: reason × count)</th></tr>");
        foreach (var step in steps)
        {
            page.Raw("<tr><td>").Text(step.Step).Raw("</td><td class=\"n\">").Text(Format(step.In)).Raw("</td><td class=\"n\">").Text(Format(step.Out)).Raw("</td><td>");
            page.Text(step.Drops.Count == 0 ? "—" : string.Join("; ", step.Drops.Select(d => $"{d.Stage}: {d.Reason} × {Format(d.Count)}")));
            page.Raw("</td></tr>");
        }

        page.Raw("</table>");
        Close(page);
    }

    private static void Coverage(Page page, DatasetReport report)
    {
        var mix = report.Mix;
        Open(page, "coverage", "Planned vs kept pairs per document type, task kind and length bucket, against the targets; how often each document is reused; where the request sits.");
        var byType = mix.Rows.GroupBy(r => r.DocumentType, StringComparer.Ordinal).OrderByDescending(g => g.Sum(r => r.Kept)).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var planned = mix.Rows.Any(r => r.Planned is not null);
        var traces = new List<Trace>();
        if (planned)
        {
            traces.Add(Bar("planned", byType.Select(g => g.Key), byType.Select(g => (double)g.Sum(r => r.Planned ?? 0))));
        }

        traces.Add(Bar("kept", byType.Select(g => g.Key), byType.Select(g => (double)g.Sum(r => r.Kept))));
        Plot(page, "mix-types", traces, planned ? "Pairs per document type: planned vs kept" : "Kept pairs per document type (planned counts not recorded)", null, "pairs", height: 380, bottomMargin: 120);

        var byKind = mix.Rows.GroupBy(r => r.TaskKind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        traces = [];
        if (planned)
        {
            traces.Add(Bar("planned", byKind.Select(g => g.Key), byKind.Select(g => (double)g.Sum(r => r.Planned ?? 0))));
        }

        traces.Add(Bar("kept", byKind.Select(g => g.Key), byKind.Select(g => (double)g.Sum(r => r.Kept))));
        page.Raw("<div class=\"row\">");
        Plot(page, "mix-kinds", traces, "Pairs per task kind", null, "pairs", height: 320);

        var buckets = mix.LengthBucketMix.Keys.Concat(mix.LengthBucketTargets?.Keys ?? []).Distinct(StringComparer.Ordinal).ToList();
        traces = [Bar("kept share", buckets, buckets.Select(b => mix.LengthBucketMix.GetValueOrDefault(b)?.Value ?? 0))];
        if (mix.LengthBucketTargets is { } targets)
        {
            traces.Add(Bar("target (single-document mix)", buckets, buckets.Select(b => targets.GetValueOrDefault(b))));
        }

        Plot(page, "length-mix", traces, "Length-bucket mix (share of kept pairs; multi-document: total tokens)", null, "share", height: 320, percentY: true);
        page.Raw("</div>");
        page.Raw("<p>Multi-document share: ").Raw(Metric(mix.MultiDocumentShare, "P1"));
        page.Raw(mix.MultiDocumentTarget is { } target ? $" (target {target.ToString("P0", Invariant)})" : " (target not recorded)").Raw("</p>");

        page.Raw("<div class=\"row\">");
        var reuseLayout = new Layout();
        reuseLayout.SetProperty("xaxis", new { type = "category", title = new { text = "kept pairs using the document" } });
        Plot(page, "document-reuse", [Bar("documents", mix.DocumentReuse.Keys.Select(k => k.ToString(Invariant)), mix.DocumentReuse.Values.Select(v => (double)v))],
            $"Document reuse ({Format(mix.DistinctDocuments)} documents used)", null, "documents", height: 300, layout: reuseLayout);
        Plot(page, "placement", [Bar("pairs", mix.InstructionPlacement.Keys, mix.InstructionPlacement.Values.Select(v => (double)v))],
            "Instruction placement", null, "kept pairs", height: 300);
        page.Raw("</div>");

        page.Raw("<details><summary>Planned vs kept per type, kind and bucket (").Text(Format(mix.Rows.Count)).Raw(" rows)</summary><table><tr><th>document type</th><th>task kind</th><th>length bucket</th><th class=\"n\">planned</th><th class=\"n\">kept</th></tr>");
        foreach (var row in mix.Rows)
        {
            page.Raw("<tr><td>").Text(row.DocumentType).Raw("</td><td>").Text(row.TaskKind).Raw("</td><td>").Text(row.LengthBucket).Raw("</td><td class=\"n\">")
                .Text(row.Planned is { } p ? Format(p) : "—").Raw("</td><td class=\"n\">").Text(Format(row.Kept)).Raw("</td></tr>");
        }

        page.Raw("</table></details>");
        Close(page);
    }

    private static void Graphs(Page page, DatasetReport report)
    {
        Open(page, "graphs", "Per document type, the graph paths were sampled from: size, singleton share, node and edge mass the paths cover, recombination (share of paths no single real record holds) and path-length KL against the real records.");
        var types = report.Graphs;
        if (types.Count == 0)
        {
            page.Raw("<p class=\"note\" data-plot=\"graph-figures\">The manifest holds no graph figures.</p>");
            Close(page);
            return;
        }

        var names = types.Select(t => t.DocumentType).ToList();
        Plot(page, "graph-figures",
        [
            Bar("singleton share", names, types.Select(t => t.SingletonNodeShare ?? 0)),
            Bar("node mass covered", names, types.Select(t => t.NodeMassCoverage ?? 0)),
            Bar("edge mass covered", names, types.Select(t => t.EdgeMassCoverage ?? 0)),
            Bar("recombination rate", names, types.Select(t => t.RecombinationRate ?? 0)),
        ], "Graph figures per document type", null, "share", height: 400, percentY: true, bottomMargin: 120);

        PathLengths(page, types);
        foreach (var (drawing, i) in report.Drawings.Select((d, i) => (d, i)))
        {
            Network(page, drawing, i + 1);
        }

        page.Raw("<table><tr><th>type</th><th>source</th><th class=\"n\">records</th><th class=\"n\">nodes</th><th class=\"n\">edges</th><th class=\"n\">singleton</th><th class=\"n\">node cov.</th><th class=\"n\">edge cov.</th><th class=\"n\">paths</th><th class=\"n\">recombination</th><th class=\"n\">best overlap</th><th class=\"n\">length KL</th></tr>");
        foreach (var t in types)
        {
            page.Raw("<tr><td>").Text(t.DocumentType).Raw("</td><td>").Text(t.Source == GraphSourceKind.Own ? "own" : $"{t.Source.ToString().ToLowerInvariant()} ({t.SourceGraph})")
                .Raw("</td><td class=\"n\">").Text(Format(t.Records)).Raw("</td><td class=\"n\">").Text(Format(t.Nodes)).Raw("</td><td class=\"n\">").Text(Format(t.Edges))
                .Raw("</td><td class=\"n\">").Raw(Value(t.SingletonNodeShare, "P0", "no nodes")).Raw("</td><td class=\"n\">").Raw(Value(t.NodeMassCoverage, "P0", "no paths"))
                .Raw("</td><td class=\"n\">").Raw(Value(t.EdgeMassCoverage, "P0", "no paths or edges")).Raw("</td><td class=\"n\">").Text(Format(t.Paths))
                .Raw("</td><td class=\"n\">").Raw(Value(t.RecombinationRate, "P0", "no paths")).Raw(t.RecombinationExact ? "" : " (upper bound)")
                .Raw("</td><td class=\"n\">").Raw(Value(t.BestSingleRecordOverlap, "0.00", "no paths")).Raw("</td><td class=\"n\">").Raw(Value(t.PathLengthKl, "0.00", "no paths")).Raw("</td></tr>");
        }

        page.Raw("</table>");
        if (report.Borrowings.Count > 0)
        {
            page.Raw("<p>Types that did not sample from a graph of their own only: ")
                .Text(string.Join("; ", report.Borrowings.Select(b => $"{b.DocumentType}: {b.Kind.ToString().ToLowerInvariant()} from {b.Source} ({b.Reason})"))).Raw("</p>");
        }

        Close(page);
    }

    private static void PathLengths(Page page, IReadOnlyList<GraphStatistics> types)
    {
        var shown = types.Where(t => t.Paths > 0).Take(12).ToList();
        if (shown.Count == 0)
        {
            page.Raw("<p class=\"note\" data-plot=\"path-lengths\">No paths were sampled, so there is no path-length histogram.</p>");
            return;
        }

        const int Columns = 4;
        var rows = (shown.Count + Columns - 1) / Columns;
        var traces = new List<Trace>();
        var layout = new Layout();
        for (var i = 0; i < shown.Count; i++)
        {
            var t = shown[i];
            var axis = i == 0 ? "" : (i + 1).ToString(Invariant);
            var max = Math.Max(t.PathLengths.Keys.DefaultIfEmpty(1).Max(), t.RecordLengths.Keys.DefaultIfEmpty(1).Max());
            var xs = Enumerable.Range(1, max).ToArray();
            double pathTotal = Math.Max(1, t.PathLengths.Values.Sum()), recordTotal = Math.Max(1, t.RecordLengths.Values.Sum());
            var paths = Bar("sampled paths", xs.Select(x => x.ToString(Invariant)), xs.Select(x => t.PathLengths.GetValueOrDefault(x) / pathTotal));
            paths.SetProperty("xaxis", "x" + axis);
            paths.SetProperty("yaxis", "y" + axis);
            paths.SetProperty("marker", new { color = "#1f77b4" });
            paths.SetProperty("legendgroup", "paths");
            paths.SetProperty("showlegend", i == 0);
            var records = Bar("real records", xs.Select(x => x.ToString(Invariant)), xs.Select(x => t.RecordLengths.GetValueOrDefault(x) / recordTotal));
            records.SetProperty("xaxis", "x" + axis);
            records.SetProperty("yaxis", "y" + axis);
            records.SetProperty("marker", new { color = "#ff7f0e" });
            records.SetProperty("legendgroup", "records");
            records.SetProperty("showlegend", i == 0);
            traces.Add(paths);
            traces.Add(records);
            layout.SetProperty("xaxis" + axis, new { title = new { text = Label($"{t.DocumentType} (KL {(t.PathLengthKl is { } kl ? kl.ToString("0.00", Invariant) : "n/a")})"), font = new { size = 11 } } });
            layout.SetProperty("yaxis" + axis, new { tickformat = ".0%" });
        }

        layout.SetProperty("grid", new { rows, columns = Columns, pattern = "independent", ygap = 0.45 });
        layout.SetProperty("barmode", "group");
        Plot(page, "path-lengths", traces, "Path length (graph-field values) vs the real records', share per length", null, null, height: 170 + (230 * rows), layout: layout);
    }

    private static void Network(Page page, GraphDrawing drawing, int index)
    {
        var n = drawing.Nodes.Count;
        var position = new Dictionary<(string, string), (double X, double Y)>();
        for (var i = 0; i < n; i++)
        {
            var angle = 2 * Math.PI * i / Math.Max(1, n);
            position[(drawing.Nodes[i].Field, drawing.Nodes[i].Value)] = (Math.Cos(angle), Math.Sin(angle));
        }

        var ex = new List<double?>();
        var ey = new List<double?>();
        var maxEdge = Math.Max(1, drawing.Edges.Select(e => e.Count).DefaultIfEmpty(1).Max());
        var traces = new List<Trace>();
        foreach (var edge in drawing.Edges)
        {
            var (a, b) = (position[(edge.FieldA, edge.ValueA)], position[(edge.FieldB, edge.ValueB)]);
            var line = new Trace2D("scatter");
            line.SetProperty("x", new[] { a.X, b.X });
            line.SetProperty("y", new[] { a.Y, b.Y });
            line.SetProperty("mode", "lines");
            line.SetProperty("hoverinfo", "skip");
            line.SetProperty("showlegend", false);
            line.SetProperty("line", new { width = 0.5 + (5.0 * edge.Count / maxEdge), color = "rgba(100,100,140,0.35)" });
            traces.Add(line);
        }

        var maxNode = Math.Max(1, drawing.Nodes.Select(v => v.Count).DefaultIfEmpty(1).Max());
        foreach (var field in drawing.Nodes.GroupBy(v => v.Field, StringComparer.Ordinal))
        {
            var nodes = new Trace2D("scatter");
            nodes.SetProperty("name", Label(field.Key));
            nodes.SetProperty("x", field.Select(v => position[(v.Field, v.Value)].X).ToArray());
            nodes.SetProperty("y", field.Select(v => position[(v.Field, v.Value)].Y).ToArray());
            nodes.SetProperty("mode", "markers+text");
            nodes.SetProperty("text", field.Select(v => Label(Shorten(v.Value, 28))).ToArray());
            nodes.SetProperty("hovertext", field.Select(v => Label($"{v.Field} = {v.Value}: {v.Count} records")).ToArray());
            nodes.SetProperty("hoverinfo", "text");
            nodes.SetProperty("textposition", "top center");
            nodes.SetProperty("marker", new { size = field.Select(v => 10 + (26 * Math.Sqrt((double)v.Count / maxNode))).ToArray() });
            traces.Add(nodes);
        }

        var layout = new Layout();
        layout.SetProperty("xaxis", new { visible = false, range = new[] { -1.5, 1.5 } });
        layout.SetProperty("yaxis", new { visible = false, range = new[] { -1.3, 1.3 } });
        Plot(page, "graph-drawing-" + index.ToString(Invariant), traces,
            $"Graph of '{drawing.DocumentType}' ({Format(drawing.Records)} records): top {drawing.Nodes.Count} values and the {drawing.Edges.Count} heaviest edges among them",
            null, null, height: 520, layout: layout);
    }

    private static void Fields(Page page, DatasetReport report)
    {
        Open(page, "fields", "Per graph field over all types: distinct values, share of records without a value, share of values held by one record only, top values and the largest merges.");
        var fields = report.Fields;
        if (fields.Count == 0)
        {
            page.Raw("<p class=\"note\" data-plot=\"field-shares\">The dataset has no graph fields (graphs.json is empty or missing).</p>");
            Close(page);
            return;
        }

        Plot(page, "field-shares",
        [
            Bar("null share", fields.Select(f => f.Field), fields.Select(f => f.NullShare.Value ?? 0)),
            Bar("singleton share", fields.Select(f => f.Field), fields.Select(f => f.SingletonShare.Value ?? 0)),
        ], "Null and singleton share per field", null, "share", height: 340, percentY: true);
        page.Raw("<table><tr><th>field</th><th class=\"n\">distinct</th><th class=\"n\">null share</th><th class=\"n\">singleton share</th><th>top values (records)</th><th>largest merges</th></tr>");
        foreach (var f in fields)
        {
            page.Raw("<tr><td>").Text(f.Field).Raw("</td><td class=\"n\">").Text(Format(f.DistinctValues)).Raw("</td><td class=\"n\">").Raw(Metric(f.NullShare, "P0"))
                .Raw("</td><td class=\"n\">").Raw(Metric(f.SingletonShare, "P0")).Raw("</td><td class=\"small\">")
                .Text(string.Join(", ", f.TopValues.Select(v => $"{v.Value} ({v.Count})"))).Raw("</td><td class=\"small\">")
                .Text(f.TopMerges.Count == 0 ? "—" : string.Join("; ", f.TopMerges.Select(m => $"{m.MergedValues} → {m.Into}"))).Raw("</td></tr>");
        }

        page.Raw("</table>");
        Close(page);
    }

    private static void Diversity(Page page, DatasetReport report)
    {
        var d = report.Diversity;
        Open(page, "diversity", "Lexical diversity over all instructions; embedding diversity and realism over a seeded sample, with "
            + (d.EmbeddingModel ?? "no embedding model") + ". Realism: each sampled instruction's cosine distance to its nearest real query, against the real queries' own nearest-neighbour distances (ratio near 1: as close to real queries as real queries are to each other).");
        page.Raw("<table class=\"metrics\"><tr><th>metric</th><th>value</th></tr>");
        foreach (var (name, metric, format) in new (string, ReportMetric, string)[]
        {
            ("distinct-1", d.Distinct1, "0.000"), ("distinct-2", d.Distinct2, "0.000"), ("distinct-3", d.Distinct3, "0.000"),
            ("compression ratio (higher = more repetitive)", d.CompressionRatio, "0.00"),
            ("embedding diversity (mean pairwise cosine distance)", d.EmbeddingDiversity, "0.000"),
            ("realism: median distance to the nearest real query", d.RealismMedian, "0.000"),
            ("real queries: median leave-one-out nearest-neighbour distance", d.RealQueryMedian, "0.000"),
            ("realism ratio", d.RealismRatio, "0.00"),
        })
        {
            page.Raw("<tr><td>").Text(name).Raw("</td><td>").Raw(Metric(metric, format)).Raw("</td></tr>");
        }

        page.Raw("</table>");
        if (d.InstructionDistances.Count > 0)
        {
            var instructions = new Trace2D("histogram");
            instructions.SetProperty("name", "instruction → nearest real query");
            instructions.SetProperty("x", d.InstructionDistances.ToArray());
            instructions.SetProperty("histnorm", "probability");
            instructions.SetProperty("opacity", 0.6);
            instructions.SetProperty("xbins", new { size = 0.025 });
            var real = new Trace2D("histogram");
            real.SetProperty("name", "real query → nearest other real query");
            real.SetProperty("x", d.RealQueryDistances.ToArray());
            real.SetProperty("histnorm", "probability");
            real.SetProperty("opacity", 0.6);
            real.SetProperty("xbins", new { size = 0.025 });
            var layout = new Layout();
            layout.SetProperty("barmode", "overlay");
            Plot(page, "realism", [instructions, real], "Nearest-neighbour cosine distances", "cosine distance", "share", height: 340, layout: layout, percentY: true);
        }
        else
        {
            page.Raw("<p class=\"note\" data-plot=\"realism\">No realism histogram: ").Text(d.RealismMedian.Reason ?? "no distances").Raw("</p>");
        }

        Close(page);
    }

    private static void Grounding(Page page, DatasetReport report)
    {
        var g = report.Grounding;
        Open(page, "grounding", "Whether the answers rest on the documents: cited passages (≥ 20 characters) found verbatim in the cited document after whitespace normalization, and where in the document the found evidence starts.");
        page.Raw("<p>Evidence found: ").Raw(Metric(g.EvidenceFound, "P1")).Raw(" · pairs citing a passage: ").Text(Format(g.PairsWithCitations))
            .Raw(" · passages under 20 characters (left out): ").Text(Format(g.ShortPassages))
            .Raw(g.UnreadablePassages > 0 ? $" · passages whose pair's documents could not be read back (counted as not found): {Format(g.UnreadablePassages)}" : "").Raw("</p>");
        if (g.EvidenceDepth.Count > 0)
        {
            var labels = Enumerable.Range(0, g.EvidenceDepth.Count).Select(i => $"{i * 10}–{(i + 1) * 10} %");
            Plot(page, "evidence-depth", [Bar("found passages", labels, g.EvidenceDepth.Select(v => (double)v))],
                $"Evidence depth: where found passages start in their document (n = {Format(g.EvidenceDepth.Sum())})", "position in the document (beginning → end)", "passages", height: 320);
        }
        else
        {
            page.Raw("<p class=\"note\" data-plot=\"evidence-depth\">No depth histogram: ").Text(g.DepthReason ?? "no found passages").Raw("</p>");
        }

        Close(page);
    }

    private static void Judge(Page page, DatasetReport report)
    {
        var j = report.Judge;
        Open(page, "judge", "The quality judge's scores of the kept pairs and of the pairs it rejected; near-duplicate instructions and pairs removed.");
        var scores = j.KeptScores.Keys.Concat(j.RejectedScores.Keys).Distinct().Order().ToList();
        Plot(page, "judge-scores",
        [
            Bar("kept", scores.Select(s => s.ToString(Invariant)), scores.Select(s => (double)j.KeptScores.GetValueOrDefault(s))),
            Bar("rejected", scores.Select(s => s.ToString(Invariant)), scores.Select(s => (double)j.RejectedScores.GetValueOrDefault(s))),
        ], "Judge scores", "score", "pairs", height: 320);
        page.Raw("<p>Mean score kept: ").Raw(Metric(j.MeanKeptScore, "0.00")).Raw(" · rejected: ").Raw(Metric(j.MeanRejectedScore, "0.00"))
            .Raw(" · rejections without a recorded score: ").Text(Format(j.RejectedWithoutScore)).Raw(" · near-duplicates removed: ").Text(Format(j.NearDuplicatesRemoved)).Raw("</p>");
        Close(page);
    }

    private static void Cost(Page page, DatasetReport report)
    {
        var s = report.Spend;
        Open(page, "cost", "Model calls per stage: tokens (uncached input, cached input, output), calls, retries and cost. Answers served from the response cache (a re-run) are counted as cache hits and cost nothing.");
        var stages = s.Stages.Select(x => x.Stage).ToList();
        var layout = new Layout();
        layout.SetProperty("barmode", "stack");
        Plot(page, "tokens",
        [
            Bar("uncached input", stages, s.Stages.Select(x => (double)Math.Max(0, x.InputTokens - x.CachedInputTokens))),
            Bar("cached input", stages, s.Stages.Select(x => (double)x.CachedInputTokens)),
            Bar("output", stages, s.Stages.Select(x => (double)x.OutputTokens)),
        ], "Tokens per stage", null, "tokens", height: 360, layout: layout);
        var discounted = s.BatchDiscount is not null;
        page.Raw("<table><tr><th>stage</th><th class=\"n\">calls</th><th class=\"n\">cache hits</th><th class=\"n\">retries</th><th class=\"n\">input</th><th class=\"n\">cached</th><th class=\"n\">output</th><th class=\"n\">cost</th>")
            .Raw(discounted ? "<th class=\"n\">batch discount</th>" : string.Empty).Raw("</tr>");
        foreach (var x in s.Stages)
        {
            page.Raw("<tr><td>").Text(x.Stage).Raw("</td><td class=\"n\">").Text(Format(x.Calls)).Raw("</td><td class=\"n\">").Text(Format(x.CacheHits)).Raw("</td><td class=\"n\">").Text(Format(x.Retries)).Raw("</td><td class=\"n\">")
                .Text(Format(x.InputTokens)).Raw("</td><td class=\"n\">").Text(Format(x.CachedInputTokens)).Raw("</td><td class=\"n\">").Text(Format(x.OutputTokens))
                .Raw("</td><td class=\"n\">").Text(x.Cost is { } c ? c.ToString("0.0000", Invariant) : "—").Raw("</td>")
                .Raw(discounted ? $"<td class=\"n\">{(x.BatchDiscount ?? 0).ToString("0.0000", Invariant)}</td>" : string.Empty).Raw("</tr>");
        }

        page.Raw("<tr class=\"total\"><td>total</td><td class=\"n\">").Text(Format(s.Stages.Sum(x => x.Calls))).Raw("</td><td class=\"n\">").Text(Format(s.Stages.Sum(x => x.CacheHits))).Raw("</td><td class=\"n\">").Text(Format(s.Stages.Sum(x => x.Retries)))
            .Raw("</td><td class=\"n\">").Text(Format(s.Stages.Sum(x => x.InputTokens))).Raw("</td><td class=\"n\">").Text(Format(s.Stages.Sum(x => x.CachedInputTokens)))
            .Raw("</td><td class=\"n\">").Text(Format(s.Stages.Sum(x => x.OutputTokens))).Raw("</td><td class=\"n\">").Text(s.TotalCost is { } t ? $"{t.ToString("0.0000", Invariant)} {s.Currency}" : "—")
            .Raw("</td>").Raw(discounted ? $"<td class=\"n\">{s.BatchDiscount!.Value.ToString("0.0000", Invariant)}</td>" : string.Empty).Raw("</tr></table>");
        if (s.Batch)
        {
            page.Raw("<p>Batch mode: every stage was billed at the batch price; the last column is what that took off the list price.</p>");
        }

        page.Raw("<p>Cost per kept pair: ").Raw(Metric(s.CostPerKeptPair, "0.00000")).Raw(" · billed input per kept pair: ").Raw(Metric(s.BilledInputPerKeptPair, "#,0"))
            .Raw(" tokens (cached input at ").Text(s.CachedPriceRatio is { } r ? r.ToString("0.##", Invariant) : "?").Raw("× price) · mean document tokens per kept pair: ")
            .Raw(Metric(s.MeanDocumentTokensPerKeptPair, "#,0")).Raw(" · billed input ÷ document tokens: ").Raw(Metric(s.BilledInputMultiple, "0.00")).Raw("×</p>");
        Close(page);
    }

    private static void Run(Page page, DatasetReport report)
    {
        var run = report.Run;
        Open(page, "run", "Which inputs fed the run, and the fingerprint of every setting and artefact that shapes the data (method, schema, taxonomy, prompts, options, model).");
        if (run.Scope is { } scope)
        {
            page.Raw("<p>Scope: ").Text(scope.Mode).Raw("</p><table><tr><th>input</th><th>name</th><th>version</th><th class=\"n\">items</th></tr>");
            foreach (var (kind, input) in scope.QueryShards.Select(q => ("query shard", q)).Concat(scope.Corpora.Select(c => ("corpus", c))))
            {
                page.Raw("<tr><td>").Text(kind).Raw("</td><td><code>").Text(input.Name).Raw("</code></td><td><code>").Text(input.Version).Raw("</code></td><td class=\"n\">")
                    .Text(input.Items is { } items ? Format(items) : "—").Raw("</td></tr>");
            }

            page.Raw("</table>");
        }
        else
        {
            page.Raw("<p class=\"note\">The manifest does not record the run's inputs.</p>");
        }

        page.Raw("<p>Run fingerprint: <code>").Text(run.FingerprintHash ?? "not recorded").Raw("</code></p><div class=\"row\"><table><tr><th>fingerprint part</th><th>value</th></tr>");
        foreach (var (name, value) in run.FingerprintComponents.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            page.Raw("<tr><td>").Text(name).Raw("</td><td><code>").Text(value).Raw("</code></td></tr>");
        }

        page.Raw("</table><table><tr><th>setting</th><th>value</th></tr>");
        foreach (var (name, value) in run.Configuration.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            page.Raw("<tr><td>").Text(name).Raw("</td><td><code>").Text(value ?? "—").Raw("</code></td></tr>");
        }

        page.Raw("<tr><td>prompts</td><td><code>").Text(string.Join(", ", run.PromptVersions)).Raw("</code></td></tr>");
        page.Raw("<tr><td>embedding sample</td><td>").Text(report.EmbeddingSampleSize.ToString(Invariant)).Raw(" instructions</td></tr></table></div>");
        Close(page);
    }

    private static void Open(Page page, string id, string intro)
    {
        var title = Sections.First(s => s.Id == id).Title;
        page.Raw("<section id=\"").Text(id).Raw("\" data-section=\"").Text(id).Raw("\"><h2>").Text(title).Raw("</h2><p class=\"intro\">").Text(intro).Raw("</p>");
    }

    private static void Close(Page page) => page.Raw("</section>");

    private static void Tile(Page page, string label, ReportMetric metric, string format)
        => page.Raw("<div class=\"tile\"><div class=\"label\">").Text(label).Raw("</div><div class=\"value\">")
            .Raw(metric.Value is { } v ? WebUtility.HtmlEncode(v.ToString(format, Invariant)) : "—").Raw("</div><div class=\"count\">")
            .Text(metric.Value is null ? metric.Reason ?? "" : $"n = {Format(metric.Count)}").Raw("</div></div>");

    private static string Metric(ReportMetric metric, string format)
        => metric.Value is { } v
            ? $"<b>{WebUtility.HtmlEncode(v.ToString(format, Invariant))}</b> <span class=\"count\">(n = {Format(metric.Count)})</span>"
            : $"<span class=\"missing\">not computed: {WebUtility.HtmlEncode(metric.Reason ?? "no reason recorded")}</span>";

    private static string Value(double? value, string format, string missing)
        => value is { } v ? WebUtility.HtmlEncode(v.ToString(format, Invariant)) : $"<span class=\"missing\" title=\"{WebUtility.HtmlEncode(missing)}\">—</span>";

    private static string Format(long value) => value.ToString("#,0", Invariant);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>Plotly draws labels as HTML-like text, and the figure sits in a script: angle brackets from data must not reach it.</summary>
    private static string Label(string text) => text.Replace('<', '‹').Replace('>', '›');

    private static Trace2D Bar(string name, IEnumerable<string> keys, IEnumerable<double> values, bool horizontal = false)
    {
        var bar = new Trace2D("bar");
        bar.SetProperty("name", name);
        var labels = keys.Select(Label).ToArray();
        var numbers = values.ToArray();
        bar.SetProperty(horizontal ? "y" : "x", labels);
        bar.SetProperty(horizontal ? "x" : "y", numbers);
        if (horizontal)
        {
            bar.SetProperty("orientation", "h");
        }

        return bar;
    }

    private static void Plot(Page page, string name, IEnumerable<Trace> traces, string title, string? xTitle, string? yTitle, int height,
        Layout? layout = null, bool percentY = false, int leftMargin = 60, int bottomMargin = 60)
    {
        layout ??= new Layout();
        layout.SetProperty("title", new { text = Label(title), font = new { size = 15 } });
        layout.SetProperty("height", height);
        layout.SetProperty("margin", new { l = leftMargin, r = 20, t = 50, b = bottomMargin });
        layout.SetProperty("legend", new { orientation = "h", y = -0.2 });
        if (layout.TryGetPropertyValue("xaxis") is null)
        {
            layout.SetProperty("xaxis", new { title = new { text = Label(xTitle ?? "") }, automargin = true });
        }

        if (layout.TryGetPropertyValue("yaxis") is null)
        {
            layout.SetProperty("yaxis", percentY ? new { title = new { text = Label(yTitle ?? "") }, automargin = true, tickformat = ".0%" } : (object)new { title = new { text = Label(yTitle ?? "") }, automargin = true, tickformat = "" });
        }

        var chart = GenericChart.setLayout(layout, GenericChart.ofTraceObjects(true, traces.ToArray()));
        page.Raw("<div class=\"plot\" data-plot=\"").Text(name).Raw("\">").Raw(StableIds(GenericChart.toChartHTML(chart), name)).Raw("</div>");
    }

    /// <summary>
    /// Plotly.NET names each figure's div with a fresh GUID; the page names it after the plot instead, so building the
    /// report twice from the same dataset gives the same bytes (plot names are unique within a page).
    /// </summary>
    internal static string StableIds(string chartHtml, string name)
    {
        var id = "plot-" + name;
        foreach (var guid in DivIdPattern().Matches(chartHtml).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList())
        {
            chartHtml = chartHtml.Replace(guid, id, StringComparison.Ordinal).Replace(guid.Replace("-", "", StringComparison.Ordinal), id.Replace("-", "_", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        return chartHtml;
    }

    [GeneratedRegex("\\bid=\"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\"")]
    private static partial Regex DivIdPattern();

    /// <summary>plotly.js as shipped inside the Plotly.NET assembly (the version Plotly.NET's figures target).</summary>
    private static readonly Lazy<string> PlotlyJs = new(() =>
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    });

    private const string Style = """
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
        header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:24px}.sub{margin:0 0 10px;color:#c9cfdb}
        nav a{color:#9cc3ff;margin-right:14px;font-size:13px;text-decoration:none}
        .simulated{background:#c62828;color:#fff;font-size:44px;font-weight:800;letter-spacing:6px;padding:10px 18px;margin:10px 0;border-radius:6px}
        .simulated small{display:block;font-size:14px;letter-spacing:0;font-weight:400}
        main{padding:10px 28px 40px}section{background:#fff;border-radius:8px;padding:14px 20px;margin:16px 0;box-shadow:0 1px 3px rgba(0,0,0,.08)}
        h2{margin:4px 0 6px;font-size:20px}.intro{color:#555;margin:0 0 10px;font-size:14px}
        table{border-collapse:collapse;font-size:13px;margin:8px 0;vertical-align:top}td,th{border-bottom:1px solid #e3e6eb;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f0f2f5}.n{text-align:right;font-variant-numeric:tabular-nums}.small{font-size:12px;max-width:520px}tr.total td{font-weight:600}
        .tiles{display:flex;flex-wrap:wrap;gap:12px}.tile{background:#f0f4fa;border-radius:8px;padding:10px 14px;min-width:150px}
        .tile .label{font-size:12px;color:#555}.tile .value{font-size:26px;font-weight:700}.tile .count,.count{font-size:11px;color:#777}
        .missing{color:#a15c00;font-style:italic}.note{color:#a15c00}.warn{color:#c62828;font-weight:600}
        .row{display:flex;flex-wrap:wrap;gap:16px}.row>.plot{flex:1 1 420px;min-width:380px}.row>table{flex:1 1 380px}
        code{font-size:12px}details{margin:8px 0}
        """;

    /// <summary>The page being written, with HTML-encoding for text.</summary>
    private sealed class Page
    {
        private readonly StringBuilder builder = new();

        public Page Raw(string html)
        {
            builder.Append(html);
            return this;
        }

        public Page Text(string text)
        {
            builder.Append(WebUtility.HtmlEncode(text));
            return this;
        }

        public override string ToString() => builder.ToString();
    }
}
