using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.MetaInfo;
using WildLong.Core.Prompts;

namespace WildLong.Core.Runner;

/// <summary>
/// Computes a host's <see cref="RunFingerprint"/> from what it is configured with: the method version, the
/// meta-information schema and taxonomy contents, every prompt's <c>name@version</c> (override folder included) with a
/// hash of its text, every options section of the method library (found by reflection: any class of this assembly
/// with a <c>SectionName</c> constant, hashed whole), and what registered <see cref="IRunFingerprintContributor"/>s
/// add (the model). Knobs that only change how fast or how the work is cut are left out (<see cref="Excluded"/>).
/// </summary>
public sealed class RunFingerprintSource
{
    /// <summary>
    /// <c>Section:Property</c> of method options that cannot change the data: parallelism and batch sizes (every
    /// item's randomness comes from the seed and the item's id, so the work's cut does not matter; the engine
    /// equivalence test checks it), and the paths of files whose content is hashed in its own part.
    /// </summary>
    public static IReadOnlySet<string> Excluded { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        $"{MethodRunOptions.SectionName}:{nameof(MethodRunOptions.QueryBatchSize)}",
        $"{MethodRunOptions.SectionName}:{nameof(MethodRunOptions.DocumentBatchSize)}",
        $"{MethodRunOptions.SectionName}:{nameof(MethodRunOptions.InstructionBatchSize)}",
        $"{MethodRunOptions.SectionName}:{nameof(MethodRunOptions.PairBatchSize)}",
        $"{Graphs.SamplingOptions.SectionName}:{nameof(Graphs.SamplingOptions.MaxDegreeOfParallelism)}",
        $"{GenerationOptions.SectionName}:{nameof(GenerationOptions.MaxConcurrentDocuments)}",
        $"{MetaInfoExtractionOptions.SectionName}:{nameof(MetaInfoExtractionOptions.MaxParallelism)}",
        $"{DocumentOptions.SectionName}:{nameof(DocumentOptions.ClassificationParallelism)}",
        $"{NearDuplicateMergeOptions.SectionName}:{nameof(NearDuplicateMergeOptions.EmbeddingBatchSize)}",
        $"{PromptOptions.SectionName}:{nameof(PromptOptions.OverrideDirectory)}",
        $"{TaxonomyOptions.SectionName}:{nameof(TaxonomyOptions.Path)}",
        $"{MetaInfoSchemaOptions.SectionName}:{nameof(MetaInfoSchemaOptions.SchemaPath)}",
    };

    private const string PromptSuffix = ".prompt.txt";

    private readonly IServiceProvider services;
    private readonly MetaInfoSchema schema;
    private readonly DocumentTaxonomy taxonomy;
    private readonly PromptLibrary prompts;
    private readonly PromptOptions promptOptions;
    private readonly IReadOnlyList<IRunFingerprintContributor> contributors;

    public RunFingerprintSource(
        IServiceProvider services,
        MetaInfoSchema schema,
        DocumentTaxonomy taxonomy,
        PromptLibrary prompts,
        IOptions<PromptOptions> promptOptions,
        IEnumerable<IRunFingerprintContributor> contributors)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(taxonomy);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(promptOptions);
        ArgumentNullException.ThrowIfNull(contributors);
        this.services = services;
        this.schema = schema;
        this.taxonomy = taxonomy;
        this.prompts = prompts;
        this.promptOptions = promptOptions.Value;
        this.contributors = [.. contributors];
    }

    /// <summary>The options classes of the method library, by section name: every class with a <c>SectionName</c> constant.</summary>
    public static IReadOnlyList<(string Section, Type Type)> MethodOptionTypes { get; } = [.. typeof(RunFingerprintSource).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericType: false } && t.Name.EndsWith("Options", StringComparison.Ordinal))
        .Select(t => (Type: t, Field: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
        .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
        .Select(x => (Section: (string)x.Field!.GetRawConstantValue()!, x.Type))
        .OrderBy(x => x.Section, StringComparer.Ordinal)];

    /// <summary>
    /// The fingerprint of a run with this host's configuration; <paramref name="pairs"/>, <paramref name="seed"/> and
    /// <paramref name="multiDocumentShare"/>, when given, replace the configured ones (a run's own settings, as an
    /// HTTP request or a CLI flag sets them).
    /// </summary>
    public RunFingerprint Create(int? pairs = null, ulong? seed = null, double? multiDocumentShare = null)
    {
        var builder = new RunFingerprintBuilder()
            .AddValue("method", RunFingerprint.MethodVersion)
            .AddValue("schema", schema.Fingerprint)
            .AddContent("taxonomy", JsonSerializer.Serialize(new { taxonomy.Other, taxonomy.Types }, WildLongJson.Options));
        foreach (var name in PromptNames())
        {
            var prompt = prompts.Get(name);
            builder.AddValue("prompt:" + name, $"{prompt.Id} {StableHash.ContentAddress(prompt.System, prompt.User)[..8]}");
        }

        foreach (var (section, type) in MethodOptionTypes)
        {
            var options = services.GetService(typeof(IOptions<>).MakeGenericType(type)) is { } wrapper
                ? wrapper.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(wrapper)!
                : Activator.CreateInstance(type)!;
            var excluded = Excluded.Where(e => e.StartsWith(section + ":", StringComparison.Ordinal) && e.LastIndexOf(':') == section.Length).Select(e => e[(section.Length + 1)..]);
            builder.AddOptions(section, options, excluded, Overrides(section, pairs, seed, multiDocumentShare));
        }

        foreach (var contributor in contributors)
        {
            contributor.Contribute(builder);
        }

        return builder.Build();
    }

    private static Dictionary<string, object?>? Overrides(string section, int? pairs, ulong? seed, double? share)
    {
        var overrides = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (section == MethodRunOptions.SectionName && pairs is { } p)
        {
            overrides[nameof(MethodRunOptions.Pairs)] = p;
        }

        if (section == GenerationOptions.SectionName)
        {
            if (seed is { } s)
            {
                overrides[nameof(GenerationOptions.Seed)] = s;
            }

            if (share is { } m)
            {
                overrides[nameof(GenerationOptions.MultiDocumentShare)] = m;
            }
        }

        return overrides.Count == 0 ? null : overrides;
    }

    /// <summary>The built-in prompts plus any prompt file of the override folder (a run may name one by option).</summary>
    private SortedSet<string> PromptNames()
    {
        var names = new SortedSet<string>(PromptLibrary.BuiltInNames, StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(promptOptions.OverrideDirectory) && Directory.Exists(promptOptions.OverrideDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(promptOptions.OverrideDirectory, "*" + PromptSuffix))
            {
                names.Add(Path.GetFileName(file)[..^PromptSuffix.Length]);
            }
        }

        return names;
    }
}
