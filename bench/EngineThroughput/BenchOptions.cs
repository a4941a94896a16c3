using System.Globalization;

namespace WildLong.Bench.EngineThroughput;

/// <summary>Command-line settings of the engine throughput benchmark; defaults reproduce the reported run.</summary>
public sealed class BenchOptions
{
    public const string InProcess = "in-process";
    public const string Memory = "memory";
    public const string AzureStorage = "azure-storage";

    private static readonly string[] AllModes = [InProcess, Memory, AzureStorage];

    /// <summary>Queries taken from the start of the queries file.</summary>
    public int Queries { get; private set; } = 1_000;

    /// <summary>Shards the queries are split into (one blob each for the durable modes, one file each in-process).</summary>
    public int Shards { get; private set; } = 4;

    /// <summary>Pairs wanted (WildLong:Run:Pairs).</summary>
    public int Pairs { get; private set; } = 200;

    /// <summary>Runs of every mode; the table reports the median.</summary>
    public int Repeat { get; private set; } = 1;

    public IReadOnlyList<string> Modes { get; private set; } = AllModes;

    public ulong Seed { get; private set; } = 2502_16684;

    /// <summary>The queries file; null finds <c>../shared/data/queries/queries.jsonl</c> beside the checkout.</summary>
    public string? QueriesFile { get; private set; }

    /// <summary>The corpus file; null finds <c>../shared/data/documents/documents.jsonl</c> beside the checkout.</summary>
    public string? DocumentsFile { get; private set; }

    /// <summary>Quota of the simulated deployment and of the client: huge, so no mode ever waits for quota.</summary>
    public int Tpm { get; private set; } = 1_000_000_000;

    public int Rpm { get; private set; } = 10_000_000;

    /// <summary>Configuration overrides for every mode (levers such as WildLong:Run:PairBatchSize).</summary>
    public IReadOnlyDictionary<string, string?> Settings => settings;

    /// <summary>Configuration overrides for the durable modes only (engine and pipeline levers).</summary>
    public IReadOnlyDictionary<string, string?> DurableSettings => durableSettings;

    /// <summary>Print the engine's and the pipeline's warnings.</summary>
    public bool Verbose { get; private set; }

    private readonly Dictionary<string, string?> settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string?> durableSettings = new(StringComparer.OrdinalIgnoreCase);

    public static BenchOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Whole() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--queries": options.Queries = Whole(); break;
                case "--shards": options.Shards = Whole(); break;
                case "--pairs": options.Pairs = Whole(); break;
                case "--repeat": options.Repeat = Whole(); break;
                case "--modes": options.Modes = ParseModes(Next()); break;
                case "--seed": options.Seed = ulong.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--queries-file": options.QueriesFile = Next(); break;
                case "--documents-file": options.DocumentsFile = Next(); break;
                case "--tpm": options.Tpm = Whole(); break;
                case "--rpm": options.Rpm = Whole(); break;
                case "--set": AddSetting(options.settings, Next()); break;
                case "--durable-set": AddSetting(options.durableSettings, Next()); break;
                case "--verbose": options.Verbose = true; break;
                case "--help":
                case "-h":
                    Console.WriteLine("""
                        WildLong.Bench.EngineThroughput — items/s through the whole pipeline per engine backend vs the in-process loop.
                          --queries N              queries from the start of the queries file (default 1000)
                          --shards N               query shards (default 4)
                          --pairs P                pairs wanted (default 200)
                          --modes LIST             comma-separated: in-process,memory,azure-storage (default all three)
                          --repeat R               runs per mode, median reported (default 1)
                          --seed S                 run seed (default 250216684)
                          --queries-file PATH      default ../shared/data/queries/queries.jsonl beside the checkout
                          --documents-file PATH    default ../shared/data/documents/documents.jsonl beside the checkout
                          --tpm N --rpm N          simulated quota, also the client's (default 1e9 / 1e7: never waited for)
                          --set KEY=VALUE          configuration for every mode, e.g. WildLong:Run:PairBatchSize=32 (repeatable)
                          --durable-set KEY=VALUE  configuration for the durable modes only, e.g. WildLong:Engine:MaxConcurrentActivities=64
                          --verbose                show warnings from the hosts
                        """);
                    Environment.Exit(0);
                    break;
                default: throw new ArgumentException($"unknown option {args[i]} (see --help)");
            }
        }

        if (options.Queries < 1 || options.Shards < 1 || options.Pairs < 1 || options.Repeat < 1)
        {
            throw new ArgumentException("--queries, --shards, --pairs and --repeat must be positive");
        }

        return options;
    }

    private static string[] ParseModes(string value)
    {
        var modes = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = modes.Where(m => !AllModes.Contains(m, StringComparer.Ordinal)).ToList();
        if (modes.Length == 0 || unknown.Count > 0)
        {
            throw new ArgumentException($"--modes takes {string.Join(", ", AllModes)}; unknown: {string.Join(", ", unknown)}");
        }

        return modes;
    }

    private static void AddSetting(Dictionary<string, string?> target, string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"a setting is KEY=VALUE (was '{pair}')");
        }

        target[pair[..equals]] = pair[(equals + 1)..];
    }
}
