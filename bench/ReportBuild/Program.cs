using System.Diagnostics;
using System.Globalization;
using System.Text;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Embeddings;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Model;
using WildLong.Core.MetaInfo;
using WildLong.Core.Runner;
using WildLong.Core.Reports;

// Builds the dataset report of a synthetic dataset and times it:
//   dotnet run -c Release --project bench/ReportBuild -- [--pairs 150000] [--out /tmp/wildlong-report-bench] [--seed 1]
//       [--sample 2000] [--documents 400] [--keep] [--reuse] [--no-embeddings]
// The dataset is written first (not timed): pairs.jsonl with every pair's document(s) in its user turn (4k–10k-token
// documents, a quarter multi-document), two cited passages per pair (one in twenty made up), judge scores, the
// manifest, graphs.json and report-inputs.json (2,000 real-query stand-ins). Then the report is built twice from the
// folder alone: without embeddings (streaming figures, page) and with the local MiniLM model on a seeded sample of
// --sample instructions and as many queries. Prints both times (wall clock and this process's CPU time, which a loaded
// machine does not inflate) and the peak working set. --reuse builds from a dataset an earlier --keep left in --out
// (same options) instead of writing it again; --no-embeddings times the first build only.
var culture = CultureInfo.InvariantCulture;
string Option(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

var pairs = int.Parse(Option("--pairs", "150000"), culture);
var folder = Option("--out", Path.Combine(Path.GetTempPath(), "wildlong-report-bench"));
var seed = ulong.Parse(Option("--seed", "1"), culture);
var sample = int.Parse(Option("--sample", "2000"), culture);
var documentCount = int.Parse(Option("--documents", "400"), culture);
var random = new Random((int)seed);

var words = Enumerable.Range(0, 6_000).Select(_ => Word(random)).Distinct().ToArray();
string[] types = ["scientific_paper", "government_report", "legal_contract", "technical_manual", "meeting_transcript", "book_fiction", "patent", "speech"];
string[] fields = ["task_request", "user_intent", "domain", "knowledge_required", "output_format", "constraints", "reasoning_type"];
var documents = Enumerable.Range(0, documentCount).Select(i =>
{
    var chars = random.Next(16_000, 40_000);
    var text = new StringBuilder(chars + 200);
    while (text.Length < chars)
    {
        text.Append(Sentence(random, words, random.Next(8, 24))).Append(random.Next(8) == 0 ? "\n\n" : " ");
    }

    return new LongDocument($"doc-{i:0000}", $"Document {i}", text.ToString(), "bench", types[i % types.Length]);
}).ToArray();
var tokens = documents.ToDictionary(d => d.Id, d => d.Text.Length / 4, StringComparer.Ordinal);
var byType = documents.GroupBy(d => d.DocTypeHint!).ToDictionary(g => g.Key, g => g.ToArray());

var reuse = args.Contains("--reuse") && File.Exists(Path.Combine(folder, "pairs.jsonl")) && File.Exists(Path.Combine(folder, "manifest.json"));
Directory.CreateDirectory(folder);
var writeWatch = Stopwatch.StartNew();
if (!reuse)
{
    var records = new List<MetaInfoRecord>();
    for (var i = 0; i < 4_000; i++)
    {
        records.Add(new MetaInfoRecord($"q{i}", types[i % types.Length], fields.Take(random.Next(3, fields.Length + 1))
            .ToDictionary(f => f, f => (IReadOnlyList<string>)[f[..3] + "-" + words[(int)Math.Min(words.Length - 1, Math.Abs(random.NextDouble() * random.NextDouble() * 400))]], StringComparer.Ordinal)));
    }

    var graphs = GraphSet.Build(records);
    var counts = new MethodRunCounts(12_000, 8_000, 4_000, 0, documentCount, pairs * 2, pairs * 2, pairs * 2, (int)(pairs * 1.2), (int)(pairs * 0.8), pairs / 10, pairs,
        new Dictionary<string, int>(StringComparer.Ordinal) { ["quality-judge"] = (int)(pairs * 0.8) });
    var usage = new Dictionary<string, StageUsage>(StringComparer.Ordinal)
    {
        ["metainfo-extraction"] = new(12_000, 0, 12_000_000, 4_000_000, 600_000),
        ["instruction-writing"] = new(pairs * 2, 0, 600L * pairs * 2, 0, 40L * pairs * 2),
        ["instruction-adaptation"] = new(pairs * 2, 0, 7_000L * pairs * 2, 6_000L * pairs * 2, 30L * pairs * 2),
        ["response-generation"] = new(pairs * 2, 0, 7_000L * pairs * 2, 6_000L * pairs * 2, 300L * pairs * 2),
        ["quality-judge"] = new(pairs * 2, 0, 7_500L * pairs * 2, 6_000L * pairs * 2, 60L * pairs * 2),
    };
    var quarantine = Enumerable.Range(0, (int)(pairs * 0.8)).Select(i => QuarantineEntry.ForItem("quality-judge", $"x{i}@doc", "rejected by the quality judge: weak",
        $"intent_preserved=True, answerable=True, document_dependent=True, score={random.Next(1, 4)} (minimum 4)")).ToList();
    var realQueries = Enumerable.Range(0, 2_000).Select(i => ($"q{i}", Sentence(random, words, random.Next(20, 80)))).ToList();
    var planned = new Dictionary<(string, TaskKind, string), int>();

    // The kept pairs, streamed to pairs.jsonl (never held in memory).
    var seedRecord = (TrainingRecord?)null;
    await using (var writer = new StreamWriter(Path.Combine(folder, "pairs.jsonl.tmp"), false, new UTF8Encoding(false), 1 << 20))
    {
        for (var i = 0; i < pairs; i++)
        {
            var type = types[random.Next(types.Length)];
            var kind = random.NextDouble() < 0.25 ? (random.Next(2) == 0 ? TaskKind.Comparison : TaskKind.Aggregation) : TaskKind.SingleDocument;
            var chosen = Enumerable.Range(0, kind == TaskKind.SingleDocument ? 1 : random.Next(2, 4)).Select(_ => byType[type][random.Next(byType[type].Length)]).DistinctBy(d => d.Id).ToArray();
            var context = DocumentContext.For(chosen);
            var instruction = $"{Pick(random, ["Summarize", "Compare", "List", "Explain", "Extract", "Draft", "Critique"])} {Sentence(random, words, random.Next(6, 22))}";
            var citations = Enumerable.Range(0, 2).Select(_ =>
            {
                var d = random.Next(chosen.Length);
                var text = chosen[d].Text;
                var start = random.Next(0, text.Length - 200);
                var quote = random.Next(20) == 0 ? Sentence(random, words, 8) : text.Substring(start, random.Next(40, 150));
                return new ResponseCitation(d + 1, null, quote, true);
            }).ToArray();
            var position = random.NextDouble() < 0.2 ? InstructionPosition.BeforeDocuments : InstructionPosition.AfterDocuments;
            var bucket = PairLengthBucket.Of(LengthBuckets.Default, chosen.Sum(d => (long)tokens[d.Id]));
            var cell = (type, kind, bucket);
            planned[cell] = planned.GetValueOrDefault(cell) + 1;
            var meta = new TrainingRecordMeta($"{type}#{i}@{string.Join('+', chosen.Select(d => d.Id))}", type, kind, "key", i, [new PathStep("task_request", "x")],
                context.DocumentIds, [.. chosen.Select(d => bucket)], instruction, instruction, tokens.Where(t => chosen.Any(c => c.Id == t.Key)).Sum(t => t.Value), 300,
                "bench", seed, ["bench@1"], new JudgeVerdict(true, true, random.Next(4, 6), "ok"), citations, 0, position);
            var record = new TrainingRecord([new(TrainingMessage.UserRole, context.ComposeUserTurn(instruction, position)), new(TrainingMessage.AssistantRole, Sentence(random, words, 60))], meta);
            seedRecord ??= record;
            await writer.WriteLineAsync(TrainingRecordJsonl.Serialize(record));
        }
    }

    var inputs = new DatasetReportInputs(4_000, DatasetReportInputs.Sample(realQueries, seed), new Dictionary<string, int>(StringComparer.Ordinal) { ["pre_filter"] = 6_000, ["model"] = 2_000 },
        tokens, [.. planned.Select(kv => new PlannedPairCount(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3, (int)(kv.Value * 1.2)))],
        new Dictionary<string, double>(StringComparer.Ordinal) { ["4k-8k"] = 1, ["8k-16k"] = 1 }, 0.25, LengthBuckets.DefaultDefinitions, 4_000,
        fields.ToDictionary(f => f, _ => 3_000L, StringComparer.Ordinal));
    var result = new MethodRunResult([seedRecord!], quarantine, graphs, counts, usage, null, null, null, inputs);
    // The writer writes the manifest, graphs, quarantine and inputs (and a report of its one record, without embeddings);
    // then the full pairs.jsonl takes its place.
    await DatasetWriter.WriteAsync(folder, result, new DatasetManifestExtras("bench", seed, true, null, new Dictionary<string, string?>(StringComparer.Ordinal), CachedPriceRatio: 0.5),
        new DatasetReportBuilder(null), CancellationToken.None);
    File.Move(Path.Combine(folder, "pairs.jsonl.tmp"), Path.Combine(folder, "pairs.jsonl"), overwrite: true);
}

var size = new FileInfo(Path.Combine(folder, "pairs.jsonl")).Length;
Console.WriteLine(string.Create(culture, $"dataset: {folder}: {pairs:N0} pairs, pairs.jsonl {size / 1e9:0.00} GB, {(reuse ? "reused" : $"written in {writeWatch.Elapsed.TotalSeconds:0} s")} (not timed below)"));

var process = Process.GetCurrentProcess();
process.Refresh();
var cpu = process.TotalProcessorTime;
var watch = Stopwatch.StartNew();
var plain = await DatasetReportWriter.WriteAsync(folder, new DatasetReportBuilder(null), CancellationToken.None);
var withoutEmbeddings = watch.Elapsed;
process.Refresh();
var plainCpu = process.TotalProcessorTime - cpu;
Console.WriteLine(string.Create(culture, $"report without embeddings: {withoutEmbeddings.TotalSeconds:0.0} s wall, {plainCpu.TotalSeconds:0.0} s CPU ({plain.Pairs:N0} pairs; distinct-2 {plain.Diversity.Distinct2.Value:0.000} over {plain.Diversity.Distinct2.Count:N0} bigrams; evidence found {plain.Grounding.EvidenceFound.Value:P1} of {plain.Grounding.EvidenceFound.Count:N0})"));

if (args.Contains("--no-embeddings"))
{
    Console.WriteLine(string.Create(culture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:0.00} GB; {Environment.ProcessorCount} cores; load average at the end {LoadAverage()}"));
    return 0;
}

process.Refresh();
cpu = process.TotalProcessorTime;
watch.Restart();
var full = await DatasetReportWriter.WriteAsync(folder, new DatasetReportBuilder(MiniLmEmbeddingGenerator.Shared, sample), CancellationToken.None);
var withEmbeddings = watch.Elapsed;
process.Refresh();
var fullCpu = process.TotalProcessorTime - cpu;
Console.WriteLine(string.Create(culture, $"report with embeddings (MiniLM, sample {full.EmbeddingSampleSize:N0} instructions + {full.Diversity.RealismRatio.Count:N0} queries): {withEmbeddings.TotalSeconds:0.0} s wall, {fullCpu.TotalSeconds:0.0} s CPU (embedding diversity {full.Diversity.EmbeddingDiversity.Value:0.000}, realism ratio {full.Diversity.RealismRatio.Value:0.00})"));
Console.WriteLine(string.Create(culture, $"report.html {new FileInfo(Path.Combine(folder, DatasetReport.HtmlFileName)).Length / 1e6:0.0} MB, report.json {new FileInfo(Path.Combine(folder, DatasetReport.JsonFileName)).Length / 1e3:0} kB; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:0.00} GB; {Environment.ProcessorCount} cores; load average at the end {LoadAverage()}"));
if (!args.Contains("--keep"))
{
    Directory.Delete(folder, recursive: true);
}

return 0;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string Word(Random random)
{
    const string Syllables = "ka lo mi ne ru sa ti vo be da fe gu ho ji pa qu re so tu wa xe yo ze an el in on un ar er ir or";
    var parts = Syllables.Split(' ');
    return string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => parts[random.Next(parts.Length)]));
}

static string Sentence(Random random, string[] words, int length)
{
    // Zipf-like: a few common words, a long tail.
    var chosen = Enumerable.Range(0, length).Select(_ => words[(int)(Math.Pow(random.NextDouble(), 3) * words.Length)]);
    return string.Join(' ', chosen) + ".";
}

static string Pick(Random random, string[] options) => options[random.Next(options.Length)];
