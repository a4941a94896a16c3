using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Core.DependencyInjection;
using WildLong.Core.Generation;
using WildLong.Core.Runner;
using WildLong.Core.Prompts;

namespace WildLong.Core.Tests.Runner;

/// <summary>
/// The run fingerprint and the run id derived from it: every setting and artefact that shapes the data gives a new run
/// id, the same configuration the same id, and knobs that only change speed (parallelism, batch sizes) none.
/// </summary>
public sealed class RunFingerprintTests : IDisposable
{
    private const string Queries = "local-0123456789abcdef/";
    private const string Documents = "local-fedcba9876543210/";
    private readonly string folder = Directory.CreateTempSubdirectory("wildlong-fingerprint-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>One setting of issue 9 point 2 changed at a time (<c>key=value</c>, several joined by ';' for one setting).</summary>
    public static TheoryData<string> ShapingSettings() => new()
    {
        "WildLong:Sampling:Temperature=0.5",
        "WildLong:Sampling:MaxAttemptsPerPath=5",
        "WildLong:Graphs:Weighting=Pmi",
        "WildLong:Graphs:MinNodeCount=2",
        "WildLong:Graphs:MinEdgeCount=2",
        "WildLong:Graphs:ExcludedFields:0=domain",
        "WildLong:Generation:LengthBucketMix:8k-16k=0.5",
        "WildLong:Generation:MultiDocumentShare=0.1",
        "WildLong:Generation:ComparisonShare=0.2",
        "WildLong:Generation:MinDocumentsPerTask=3",
        "WildLong:Generation:MaxDocumentsPerTask=3",
        "WildLong:Generation:MaxMultiDocumentContextTokens=60000",
        "WildLong:Generation:MinJudgeScore=3",
        "WildLong:Generation:DedupJaccardThreshold=0.8",
        "WildLong:Generation:DedupShingleSize=4",
        "WildLong:Generation:MaxInstructionCharacters=1000",
        "WildLong:Generation:ResponseMaxOutputTokens=2048",
        "WildLong:Generation:JudgeMaxOutputTokens=300",
        "WildLong:Generation:Seed=7",
        "WildLong:Run:Pairs=50",
        "WildLong:Run:Oversample=2",
        "WildLong:Run:MaxRounds=2",
        "WildLong:Taxonomy:MinQueriesPerType=5",
        "WildLong:ValueNormalizer:FoldPlurals=false",
        "WildLong:ValueNormalizer:Synonyms:llm=large language model",
        "WildLong:NearDuplicateMerge:LexicalThreshold=0.8",
        "WildLong:NearDuplicateMerge:UseLexical=false",
        "WildLong:Llm:Temperature=0.2",
        "WildLong:Llm:MaxStructuredAttempts=2",
        "WildLong:Llm:ModelId=gpt-4o",
        "WildLong:MetaInfoExtraction:MaxQueryTokens=1000",
        "WildLong:MetaInfoExtraction:Seed=3",
        "WildLong:PreFilter:MinChars=800",
        "WildLong:Documents:MaxTitleChars=80",
        "WildLong:Documents:LengthBuckets:0:Label=2k-16k;WildLong:Documents:LengthBuckets:0:MinTokens=2048;WildLong:Documents:LengthBuckets:0:MaxTokens=16384",
    };

    /// <summary>Knobs that change how fast or in which slices the work runs, never the data.</summary>
    public static TheoryData<string> SpeedKnobs() => new()
    {
        "WildLong:Sampling:MaxDegreeOfParallelism=3",
        "WildLong:Generation:MaxConcurrentDocuments=9",
        "WildLong:MetaInfoExtraction:MaxParallelism=9",
        "WildLong:Documents:ClassificationParallelism=9",
        "WildLong:NearDuplicateMerge:EmbeddingBatchSize=7",
        "WildLong:Run:QueryBatchSize=5",
        "WildLong:Run:DocumentBatchSize=5",
        "WildLong:Run:InstructionBatchSize=5",
        "WildLong:Run:PairBatchSize=5",
    };

    [Fact]
    public void The_same_configuration_gives_the_same_fingerprint_and_run_id()
    {
        var a = Fingerprint();
        var b = Fingerprint();
        Assert.Equal(a, b);
        Assert.Equal(RunIdentity.ForRun(Queries, Documents, a), RunIdentity.ForRun(Queries, Documents, b));
        Assert.Matches("^run-[0-9a-f]{16}$", RunIdentity.ForRun(Queries, Documents, a));
        Assert.Matches("^[0-9a-f]{16}$", a.Hash);
    }

    [Theory]
    [MemberData(nameof(ShapingSettings))]
    public void Changing_one_setting_that_shapes_the_data_starts_a_new_run(string setting)
    {
        var baseline = Fingerprint();
        var changed = Fingerprint(Parse(setting));
        var key = Parse(setting)[0].Key;
        Assert.NotEqual(baseline.Hash, changed.Hash);
        Assert.NotEqual(RunIdentity.ForRun(Queries, Documents, baseline), RunIdentity.ForRun(Queries, Documents, changed));

        // The manifest part that differs is the section the key belongs to.
        var section = key[..key.IndexOf(':', "WildLong:".Length)];
        Assert.NotEqual(baseline[section], changed[section]);
        Assert.Single(changed.Components, c => baseline[c.Name] != c.Value);
    }

    [Theory]
    [MemberData(nameof(SpeedKnobs))]
    public void A_knob_that_cannot_change_the_data_keeps_the_run(string setting)
        => Assert.Equal(Fingerprint().Hash, Fingerprint(Parse(setting)).Hash);

    [Fact]
    public void Another_schema_starts_a_new_run_and_the_same_schema_elsewhere_does_not()
    {
        var schema = Resource("metainfo-schema.default.json");
        var copy = Write("copy-schema.json", schema);
        var edited = Write("edited-schema.json", schema.Replace("\"max_items\": 3", "\"max_items\": 4", StringComparison.Ordinal));
        Assert.NotEqual(schema, File.ReadAllText(edited));

        var baseline = Fingerprint();
        Assert.Equal(baseline.Hash, Fingerprint(("WildLong:MetaInfo:SchemaPath", copy)).Hash);
        var changed = Fingerprint(("WildLong:MetaInfo:SchemaPath", edited));
        Assert.NotEqual(baseline.Hash, changed.Hash);
        Assert.NotEqual(baseline["schema"], changed["schema"]);
    }

    [Fact]
    public void Another_taxonomy_starts_a_new_run_and_the_same_taxonomy_elsewhere_does_not()
    {
        var taxonomy = Resource("taxonomy.default.json");
        var copy = Write("copy-taxonomy.json", taxonomy);
        var edited = Write("edited-taxonomy.json", taxonomy.Replace("\"nda\",", "\"nda\", \"memorandum of understanding\",", StringComparison.Ordinal));
        Assert.NotEqual(taxonomy, File.ReadAllText(edited));

        var baseline = Fingerprint();
        Assert.Equal(baseline.Hash, Fingerprint(("WildLong:Taxonomy:Path", copy)).Hash);
        var changed = Fingerprint(("WildLong:Taxonomy:Path", edited));
        Assert.NotEqual(baseline.Hash, changed.Hash);
        Assert.NotEqual(baseline["taxonomy"], changed["taxonomy"]);
    }

    [Fact]
    public void A_prompt_override_starts_a_new_run_even_with_the_same_version_label()
    {
        var prompt = PromptLibrary.Default.Get("quality-judge");
        var empty = Directory.CreateDirectory(Path.Combine(folder, "empty")).FullName;
        var overrides = Directory.CreateDirectory(Path.Combine(folder, "prompts")).FullName;
        File.WriteAllText(Path.Combine(overrides, "quality-judge.prompt.txt"),
            $"# name: quality-judge\n# version: {prompt.Version}\n### system\n{prompt.System}\nBe stricter than usual.\n### user\n{prompt.User}\n");

        var baseline = Fingerprint();
        Assert.Equal(baseline.Hash, Fingerprint(("WildLong:Prompts:OverrideDirectory", empty)).Hash);
        var changed = Fingerprint(("WildLong:Prompts:OverrideDirectory", overrides));
        Assert.NotEqual(baseline.Hash, changed.Hash);
        Assert.StartsWith($"quality-judge@{prompt.Version}+override.", changed["prompt:quality-judge"], StringComparison.Ordinal);
        Assert.Equal(baseline["prompt:instruction-writing"], changed["prompt:instruction-writing"]);
    }

    [Fact]
    public void Every_prompt_and_every_method_option_section_is_a_part()
    {
        var fingerprint = Fingerprint();
        Assert.Equal(RunFingerprint.MethodVersion, fingerprint["method"]);
        foreach (var name in PromptLibrary.BuiltInNames)
        {
            Assert.StartsWith($"{name}@", fingerprint["prompt:" + name], StringComparison.Ordinal);
        }

        foreach (var (section, type) in RunFingerprintSource.MethodOptionTypes)
        {
            var left = RunFingerprintBuilder.Canonical(Activator.CreateInstance(type)!, Excluded(section));
            Assert.True(left == "{}" || fingerprint[section] is not null, $"{section} ({type.Name}) is not in the fingerprint");
        }

        Assert.Contains(RunFingerprintSource.MethodOptionTypes, t => t.Section == "WildLong:Generation");
        Assert.Contains(RunFingerprintSource.MethodOptionTypes, t => t.Section == "WildLong:Graphs");
        Assert.Contains(RunFingerprintSource.MethodOptionTypes, t => t.Section == "WildLong:Sampling");
        Assert.Equal([.. fingerprint.Components.Select(c => c.Name).Order(StringComparer.Ordinal)], fingerprint.Components.Select(c => c.Name));
    }

    /// <summary>
    /// Reflection over every settable property of every method options class, so a property added later is checked
    /// too: changing it changes the hashed form unless it is on the exclusion list, and an excluded one never does.
    /// </summary>
    [Fact]
    public void Every_option_property_is_hashed_unless_excluded()
    {
        var checkedProperties = 0;
        foreach (var (section, type) in RunFingerprintSource.MethodOptionTypes)
        {
            var excluded = Excluded(section).ToHashSet(StringComparer.Ordinal);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            {
                var options = Activator.CreateInstance(type)!;
                var before = RunFingerprintBuilder.Canonical(options, excluded);
                if (!TryChange(options, property))
                {
                    continue;
                }

                var after = RunFingerprintBuilder.Canonical(options, excluded);
                if (excluded.Contains(property.Name))
                {
                    Assert.True(before == after, $"{section}:{property.Name} is excluded but changes the fingerprint");
                }
                else
                {
                    Assert.True(before != after, $"{section}:{property.Name} does not change the fingerprint");
                }

                checkedProperties++;
            }
        }

        Assert.True(checkedProperties > 60, $"only {checkedProperties} properties checked");
    }

    [Fact]
    public void A_runs_own_settings_replace_the_configured_ones()
    {
        Assert.Equal(Fingerprint(("WildLong:Run:Pairs", "50")).Hash, Fingerprint(s => s.Create(pairs: 50)).Hash);
        Assert.Equal(Fingerprint(("WildLong:Generation:Seed", "9")).Hash, Fingerprint(s => s.Create(seed: 9)).Hash);
        Assert.Equal(Fingerprint(("WildLong:Generation:MultiDocumentShare", "0.4")).Hash, Fingerprint(s => s.Create(multiDocumentShare: 0.4)).Hash);
        Assert.Equal(Fingerprint().Hash, Fingerprint(s => s.Create(pairs: new MethodRunOptions().Pairs, seed: new GenerationOptions().Seed)).Hash);
    }

    [Fact]
    public void Run_ids_differ_by_inputs_and_by_kind()
    {
        var fingerprint = Fingerprint();
        var run = RunIdentity.ForRun(Queries, Documents, fingerprint);
        Assert.NotEqual(run, RunIdentity.ForRun(Documents, Queries, fingerprint));
        Assert.NotEqual(run, RunIdentity.ForRun(Queries + "x", Documents, fingerprint));
        Assert.StartsWith("gen-", RunIdentity.ForGeneration("state", fingerprint), StringComparison.Ordinal);
        Assert.StartsWith("scheduled-", RunIdentity.ForGeneration("state", fingerprint, "scheduled"), StringComparison.Ordinal);
        Assert.NotEqual(RunIdentity.ForGeneration("state-1", fingerprint), RunIdentity.ForGeneration("state-2", fingerprint));
    }

    [Fact]
    public void The_canonical_form_ignores_property_order_and_dictionary_insertion_order()
    {
        var a = new Dictionary<string, double>(StringComparer.Ordinal) { ["b"] = 1, ["a"] = 2 };
        var b = new Dictionary<string, double>(StringComparer.Ordinal) { ["a"] = 2, ["b"] = 1 };
        Assert.Equal(RunFingerprintBuilder.Canonical(new { Mix = a, X = 1 }), RunFingerprintBuilder.Canonical(new { X = 1, Mix = b }));
        Assert.Throws<ArgumentException>(() => RunFingerprintBuilder.Canonical(new { X = 1 }, overrides: new Dictionary<string, object?> { ["Y"] = 2 }));
        Assert.Throws<InvalidOperationException>(() => new RunFingerprintBuilder().AddValue("a", "1").AddValue("a", "2"));
    }

    private static IEnumerable<string> Excluded(string section)
        => RunFingerprintSource.Excluded.Where(e => e.StartsWith(section + ":", StringComparison.Ordinal) && e.LastIndexOf(':') == section.Length).Select(e => e[(section.Length + 1)..]);

    /// <summary>Sets <paramref name="property"/> to a different value; false for types this test does not know how to vary.</summary>
    private static bool TryChange(object options, PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var current = property.GetValue(options);
        if (property.CanWrite && property.SetMethod!.IsPublic)
        {
            object? next = type switch
            {
                _ when type == typeof(int) => (int)(current ?? 0) + 1,
                _ when type == typeof(long) => (long)(current ?? 0L) + 1,
                _ when type == typeof(ulong) => (ulong)(current ?? 0UL) + 1,
                _ when type == typeof(double) => (double)(current ?? 0d) + 0.125,
                _ when type == typeof(float) => (float)(current ?? 0f) + 0.125f,
                _ when type == typeof(decimal) => (decimal)(current ?? 0m) + 1,
                _ when type == typeof(bool) => !(bool)(current ?? false),
                _ when type == typeof(string) => (string?)current + "-changed",
                _ when type == typeof(TimeSpan) => (TimeSpan)(current ?? TimeSpan.Zero) + TimeSpan.FromSeconds(1),
                _ when type.IsEnum => Enum.GetValues(type).Cast<object>().First(v => !v.Equals(current)),
                _ => null,
            };
            if (next is not null)
            {
                property.SetValue(options, next);
                return true;
            }
        }

        // Collections (settable or get-only): add one element.
        var concrete = property.PropertyType.IsInterface && property.PropertyType.GetGenericArguments() is [var element]
            ? typeof(List<>).MakeGenericType(element)
            : property.PropertyType;
        var collection = current ?? (property.CanWrite ? Activator.CreateInstance(concrete) : null);
        switch (collection)
        {
            case IList list when property.PropertyType.GetGenericArguments() is [var item] && item == typeof(string):
                if (list.IsReadOnly || list.IsFixedSize)
                {
                    IList copy = new List<string>();
                    foreach (var entry in list)
                    {
                        copy.Add(entry);
                    }

                    list = copy;
                }

                list.Add("added");
                if (current is null || !ReferenceEquals(list, current))
                {
                    property.SetValue(options, list);
                }

                break;
            case IDictionary dictionary when property.PropertyType.GetGenericArguments() is [_, var value] && value == typeof(double):
                dictionary["added"] = 0.5;
                break;
            case IDictionary dictionary when property.PropertyType.GetGenericArguments() is [_, var value] && value == typeof(string):
                dictionary["added"] = "value";
                break;
            default:
                return false;
        }

        if (current is null)
        {
            property.SetValue(options, collection);
        }

        return true;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (string Key, string Value)[] Parse(string setting)
        => [.. setting.Split(';').Select(s => s.Split('=', 2)).Select(kv => (kv[0], kv[1]))];

    private static string Resource(string name)
    {
        using var stream = typeof(RunFingerprintSource).Assembly.GetManifestResourceStream("WildLong.Defaults." + name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static RunFingerprint Fingerprint(params (string Key, string Value)[] settings) => Fingerprint(s => s.Create(), settings);

    private static RunFingerprint Fingerprint(Func<RunFingerprintSource, RunFingerprint> create, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        using var services = new ServiceCollection().AddWildLongMethod(configuration).BuildServiceProvider();
        return create(services.GetRequiredService<RunFingerprintSource>());
    }
}
