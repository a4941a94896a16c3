using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Llm;
using WildLong.Llm.Caching;

namespace WildLong.Cli.Tests;

/// <summary>
/// The wildlong command line invoked in-process as a user would call it: the quick start on the bundled sample with
/// the auto-started simulator, and the one-line errors and exit codes for bad input.
/// </summary>
[Collection("console")]
public sealed class CommandLineTests : IDisposable
{
    private static readonly JsonSerializerOptions WithoutNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly string temp = Path.Combine(Path.GetTempPath(), "wildlong-cli-tests", Guid.NewGuid().ToString("N"));

    public CommandLineTests() => Directory.CreateDirectory(temp);

    [Trait(TestCategories.Name, TestCategories.Azurite)]
    [Fact]
    public async Task Run_sample_on_the_durable_engine_writes_a_labelled_dataset_and_the_same_command_finds_the_finished_run()
    {
        var output = Path.Combine(temp, "dataset");
        var config = WriteConfig();

        var first = await InvokeAsync("run", "--sample", "--pairs", "3", "--out", output, "--config", config);
        Assert.True(first.Code == 0, first.Output);
        var firstPairs = File.ReadAllLines(Path.Combine(output, "pairs.jsonl"));
        var cached = Directory.GetFiles(Path.Combine(temp, "cache"), "*", SearchOption.AllDirectories).Length;
        Directory.Delete(output, recursive: true);
        var second = await InvokeAsync("run", "--sample", "--pairs", "3", "--out", output, "--config", config);

        Assert.Contains("SIMULATED", first.Output, StringComparison.Ordinal);
        Assert.Contains("(started)", first.Output, StringComparison.Ordinal);
        Assert.InRange(firstPairs.Length, 1, 3);
        Assert.True(File.Exists(Path.Combine(output, "pairs.parquet")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        Assert.True(manifest.RootElement.GetProperty("simulated").GetBoolean());
        Assert.Equal(firstPairs.Length, manifest.RootElement.GetProperty("pairs").GetInt32());
        Assert.Contains("Simulated", File.ReadAllText(Path.Combine(output, "README.md")), StringComparison.Ordinal);
        AssertFingerprint(manifest, File.ReadAllText(Path.Combine(output, "README.md")));
        AssertReportHasTheInProcessFigures(output);

        // Same command again: the same run id, found completed; the dataset is downloaded again and no model call is made.
        Assert.Equal(0, second.Code);
        Assert.Contains("(already completed)", second.Output, StringComparison.Ordinal);
        Assert.Equal(firstPairs, File.ReadAllLines(Path.Combine(output, "pairs.jsonl")));
        Assert.Equal(cached, Directory.GetFiles(Path.Combine(temp, "cache"), "*", SearchOption.AllDirectories).Length);

        var status = await InvokeAsync("status", "--config", config);
        Assert.Equal(0, status.Code);
        Assert.Contains("Completed", status.Output, StringComparison.Ordinal);
        var graphs = await InvokeAsync("graph", "export", "--list", "--config", config);
        Assert.Equal(0, graphs.Code);
        Assert.Contains("records", graphs.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The durable engine's report shows every figure the in-process one does: the realism distance (a sample of the
    /// kept real queries), the pre-filter/model split of the filtered queries, planned vs kept per cell, the
    /// length-bucket targets and the per-field null share — none of them "not recorded".
    /// </summary>
    private static void AssertReportHasTheInProcessFigures(string output)
    {
        var report = JsonSerializer.Deserialize<WildLong.Core.Reports.DatasetReport>(File.ReadAllText(Path.Combine(output, "report.json")), WildLong.Core.Common.WildLongJson.Options)!;
        var inputs = JsonSerializer.Deserialize<WildLong.Core.Reports.DatasetReportInputs>(
            File.ReadAllText(Path.Combine(output, WildLong.Core.Reports.DatasetReportInputs.FileName)), WildLong.Core.Common.WildLongJson.Options)!;

        Assert.NotEmpty(inputs.RealQuerySample!);
        Assert.True(report.Diversity.RealismMedian.Value is not null, report.Diversity.RealismMedian.Reason);
        Assert.True(report.Diversity.RealismRatio.Count >= 2);
        Assert.NotNull(inputs.QueriesFilteredBy);
        Assert.DoesNotContain(report.Funnel[0].Drops, d => d.Reason.Contains("no breakdown recorded", StringComparison.Ordinal));
        Assert.NotEmpty(report.Mix.Rows);
        Assert.All(report.Mix.Rows, r => Assert.NotNull(r.Planned));
        Assert.True(report.Mix.Rows.Sum(r => r.Planned!.Value) >= report.Pairs);
        Assert.NotNull(report.Mix.LengthBucketTargets);
        Assert.NotEmpty(report.Fields);
        Assert.All(report.Fields, f => Assert.True(f.NullShare.Value is >= 0 and <= 1, f.Field + ": " + f.NullShare.Reason));
        Assert.Equal(inputs.MetaInfoRecords, report.Fields[0].NullShare.Count);
        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.DoesNotContain("planned counts not recorded", html, StringComparison.Ordinal);
        Assert.DoesNotContain(WildLong.Core.Reports.DatasetReportInputs.FileName + " is missing", html, StringComparison.Ordinal);
        Assert.DoesNotContain("the dataset holds no real queries", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_sample_in_process_writes_a_labelled_dataset_and_a_rerun_is_answered_from_the_cache()
    {
        var output = Path.Combine(temp, "dataset");
        var config = WriteConfig();

        var first = await InvokeAsync("run", "--sample", "--engine", "in-process", "--pairs", "3", "--out", output, "--config", config);
        var firstPairs = File.ReadAllLines(Path.Combine(output, "pairs.jsonl"));
        var firstUsage = StageCalls(Path.Combine(output, "manifest.json"));
        var second = await InvokeAsync("run", "--sample", "--engine", "in-process", "--pairs", "3", "--out", output, "--config", config);

        Assert.True(first.Code == 0, first.Output);
        Assert.Contains("SIMULATED", first.Output, StringComparison.Ordinal);
        Assert.InRange(firstPairs.Length, 1, 3);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        Assert.True(manifest.RootElement.GetProperty("simulated").GetBoolean());
        Assert.Equal(firstPairs.Length, manifest.RootElement.GetProperty("pairs").GetInt32());
        Assert.Contains("Simulated", File.ReadAllText(Path.Combine(output, "README.md")), StringComparison.Ordinal);
        AssertFingerprint(manifest, File.ReadAllText(Path.Combine(output, "README.md")));
        Assert.Contains("report:", first.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "report.html")) && File.Exists(Path.Combine(output, "report.json")));
        AssertReportHasTheInProcessFigures(output);

        // Same command again: the same dataset, every answer from the cache. The only model calls a rerun may make are
        // new attempts at calls that failed the first time (a failed call has no answer to keep: on a loaded CI machine
        // a call can run out of retries — seen in CI: metainfo-extraction 169 calls / 1 failed, and the rerun then
        // made 1 extraction call and 2 calls in each later stage).
        // An answer a retried call gets the second time changes what follows it (a query extracted now adds to the graph,
        // so later stages get new requests), so: nothing failed the first time → no model call and the same pairs;
        // something failed → a stage that had failures asks at most that many calls again.
        Assert.True(second.Code == 0, second.Output);
        var secondUsage = StageCalls(Path.Combine(output, "manifest.json"));
        var usage = $"first run (calls/failed): {Describe(firstUsage)}; rerun: {Describe(secondUsage)}";
        if (firstUsage.Values.All(s => s.Failed == 0))
        {
            Assert.True(secondUsage.Values.All(s => s.Calls == 0), $"the rerun asked the model again although nothing failed the first time; {usage}");
            Assert.True(firstPairs.SequenceEqual(File.ReadAllLines(Path.Combine(output, "pairs.jsonl"))), $"the rerun wrote other pairs; {usage}");
        }
        else
        {
            var failedStages = firstUsage.Where(s => s.Value.Failed > 0).ToList();
            Assert.All(failedStages, s => Assert.True(secondUsage.GetValueOrDefault(s.Key).Calls <= s.Value.Failed, $"{s.Key}: more calls than failures; {usage}"));
        }

        // Issue 13's repro: the same inputs against an OpenAI-compatible endpoint on a port where nothing listens. The
        // filled cache must not answer for it: one line, exit code 4, no dataset, no new cache entry.
        var cached = Directory.GetFiles(Path.Combine(temp, "cache"), "*", SearchOption.AllDirectories).Length;
        var sample = SampleData.Locate();
        var deadOutput = Path.Combine(temp, "dead");
        var dead = await InvokeAsync("run", "--queries", sample.Queries, "--documents", sample.Documents, "--engine", "in-process", "--pairs", "3", "--out", deadOutput, "--config",
            WriteConfig(new { Provider = "openai-compatible", Endpoint = "http://127.0.0.1:1/v1", ApiKey = "none" }));
        Assert.True(dead.Code == 4, dead.Output);
        Assert.StartsWith("error: the model endpoint http://127.0.0.1:1/v1", dead.Output.Trim(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(deadOutput, "pairs.jsonl")));
        Assert.Equal(cached, Directory.GetFiles(Path.Combine(temp, "cache"), "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task A_simulator_behind_another_provider_is_labelled_simulated_and_keys_the_cache_by_its_own_endpoint()
    {
        await using var server = await WildLong.Simulator.SimulatorServer.StartAsync(new WildLong.Simulator.SimulatorOptions { MetricsLogIntervalSeconds = 0 }, CancellationToken.None);
        var endpoint = new Uri(server.BaseAddress, "v1");
        await using var host = await CliHost.StartAsync(WriteConfig(new { Provider = "openai-compatible", Endpoint = endpoint.ToString(), server.ApiKey }),
            new Dictionary<string, string?>(), CliHostMode.InProcess, CancellationToken.None, probeModel: true);

        var identity = host.Services.GetRequiredService<ModelIdentity>();
        Assert.True(host.Simulated);
        Assert.Equal(ModelProviders.OpenAICompatible, identity.Provider);
        Assert.Equal($"http://127.0.0.1:{endpoint.Port}/v1", identity.Endpoint);
        Assert.Equal("true", host.Services.GetRequiredService<WildLong.Core.Runner.RunFingerprintSource>().Create()["simulated"]);
        Assert.Equal(identity.Text, host.Services.GetRequiredService<IChatClient>().GetService<ResponseCachingChatClient>()!.Identity);
    }

    [Fact]
    public async Task A_run_that_keeps_fewer_pairs_than_asked_writes_them_and_exits_5_with_the_cause_on_one_line()
    {
        // A cheap input (40 real queries, 2 documents) and a strict judge with no oversampling and one round: the
        // simulator's judge gives its top score to under half the pairs, so most of the 6 asked are rejected.
        var sample = SampleData.Locate();
        var queries = Path.Combine(temp, "queries.jsonl");
        var documents = Path.Combine(temp, "documents.jsonl");
        File.WriteAllLines(queries, File.ReadLines(sample.Queries).Take(40));
        File.WriteAllLines(documents, File.ReadLines(sample.Documents).Take(2));
        var config = Path.Combine(temp, "strict.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            WildLong = new
            {
                Workspace = Path.Combine(temp, "workspace"),
                Llm = new { Cache = new { Directory = Path.Combine(temp, "cache") } },
                Generation = new { MinJudgeScore = 5 },
                Run = new { Oversample = 1.0, MaxRounds = 1 },
            },
        }));
        var output = Path.Combine(temp, "few");

        var result = await InvokeAsync("run", "--queries", queries, "--documents", documents, "--engine", "in-process", "--pairs", "6", "--out", output, "--config", config);

        Assert.True(result.Code == 5, $"exit {result.Code}: {result.Output}");
        var kept = File.ReadAllLines(Path.Combine(output, "pairs.jsonl")).Length;
        Assert.InRange(kept, 1, 5);
        var errors = result.Output.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(errors);
        Assert.StartsWith($"error: kept {kept} of the 6 pairs asked: ", line, StringComparison.Ordinal);
        Assert.Contains("rejected", line, StringComparison.Ordinal);
        Assert.Contains("quarantine.jsonl", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_names_a_missing_folder_or_manifest_in_one_line_with_its_exit_code()
    {
        var missing = await InvokeAsync("report", Path.Combine(temp, "nope"));
        var empty = await InvokeAsync("report", temp, "--no-embeddings");

        Assert.Equal(3, missing.Code);
        Assert.Contains("dataset folder not found", missing.Output.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Equal(1, empty.Code);
        Assert.True(empty.Output.ReplaceLineEndings("").Contains("manifest.json: not found", StringComparison.Ordinal), empty.Output);
        Assert.DoesNotContain("   at ", empty.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_prints_calls_and_cost_without_a_model()
    {
        var result = await InvokeAsync("estimate", "--sample", "--pairs", "100", "--config", WriteConfig());

        Assert.Equal(0, result.Code);
        Assert.Contains("response-generation", result.Output, StringComparison.Ordinal);
        Assert.Contains("300 queries", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_inputs_and_bad_paths_give_one_line_and_an_exit_code()
    {
        var missing = await InvokeAsync("run", "--queries", Path.Combine(temp, "nope.jsonl"), "--documents", temp);
        var none = await InvokeAsync("run");
        var badProvider = await InvokeAsync("estimate", "--sample", "--llm", "azure-openai", "--config", WriteConfig());

        Assert.Equal(3, missing.Code);
        Assert.Contains("input not found", missing.Output, StringComparison.Ordinal);
        Assert.Equal(2, none.Code);
        Assert.Contains("--queries and --documents", none.Output, StringComparison.Ordinal);
        Assert.Equal(2, badProvider.Code);
        Assert.Contains("WildLong:Model:Endpoint", badProvider.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(temp, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The run fingerprint is in the manifest (hash and parts, the model among them) and on the dataset card.</summary>
    /// <summary>Model calls and failed calls per stage, from a dataset's manifest (<c>tokens.&lt;stage&gt;</c>).</summary>
    private static Dictionary<string, (int Calls, int Failed)> StageCalls(string manifestPath)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(manifestPath));
        return manifest.RootElement.GetProperty("tokens").EnumerateObject()
            .ToDictionary(s => s.Name, s => (s.Value.GetProperty("calls").GetInt32(), s.Value.GetProperty("failed_calls").GetInt32()), StringComparer.Ordinal);
    }

    private static string Describe(Dictionary<string, (int Calls, int Failed)> usage)
        => string.Join(", ", usage.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value.Calls}/{s.Value.Failed}"));

    private static void AssertFingerprint(JsonDocument manifest, string card)
    {
        var fingerprint = manifest.RootElement.GetProperty("fingerprint");
        var hash = fingerprint.GetProperty("hash").GetString()!;
        Assert.Matches("^[0-9a-f]{16}$", hash);
        var parts = fingerprint.GetProperty("components");
        Assert.StartsWith("simulator/", parts.GetProperty("model").GetString(), StringComparison.Ordinal);
        Assert.Equal(WildLong.Core.Runner.RunFingerprint.MethodVersion, parts.GetProperty("method").GetString());
        Assert.True(parts.TryGetProperty("WildLong:Generation", out _));
        Assert.StartsWith("quality-judge@", parts.GetProperty("prompt:quality-judge").GetString(), StringComparison.Ordinal);
        Assert.Matches("^run-[0-9a-f]{16}$", manifest.RootElement.GetProperty("configuration").GetProperty("run_id").GetString()!);
        Assert.Contains("## Run fingerprint", card, StringComparison.Ordinal);
        Assert.Contains(hash, card, StringComparison.Ordinal);
    }

    private string WriteConfig(object? model = null)
    {
        var path = Path.Combine(temp, model is null ? "config.json" : $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            WildLong = new { Workspace = Path.Combine(temp, "workspace"), Llm = new { Cache = new { Directory = Path.Combine(temp, "cache") } }, Model = model },
        }, WithoutNulls));
        return path;
    }

    private static Task<(int Code, string Output)> InvokeAsync(params string[] args) => CliInvoker.InvokeAsync(args);
}
