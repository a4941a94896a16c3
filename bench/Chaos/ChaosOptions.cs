using System.Globalization;

namespace WildLong.Bench.Chaos;

/// <summary>The chaos schedule and its inputs; every value has a flag (see <see cref="Parse"/>), defaults fit a few minutes on 2 cores.</summary>
internal sealed class ChaosOptions
{
    /// <summary>Query file or folder (default: the bundled samples/queries.jsonl).</summary>
    public string? Queries { get; set; }

    /// <summary>Document file or folder (default: the bundled samples/documents.jsonl).</summary>
    public string? Documents { get; set; }

    public int Pairs { get; set; } = 12;

    /// <summary>Hard kills (<c>kill -9</c>) in all, of the CLI or of the worker beside it, chosen at random.</summary>
    public int Kills { get; set; } = 4;

    /// <summary>Azurite restarts (stopped with SIGINT so it saves, started again on the same data), spread over the kills.</summary>
    public int AzuriteRestarts { get; set; } = 1;

    /// <summary>Share of model requests that fail, spread evenly over every fault kind the simulator has.</summary>
    public double FaultRate { get; set; } = 0.2;

    /// <summary>Seconds between a (re)start and the next kill: drawn from [min, max].</summary>
    public int MinSecondsBetweenKills { get; set; } = 10;

    public int MaxSecondsBetweenKills { get; set; } = 25;

    public int Seed { get; set; } = 13;

    /// <summary>How long the last (unkilled) run may take before the bench gives up.</summary>
    public int FinalTimeoutMinutes { get; set; } = 10;

    /// <summary>Where workspaces go (default: a new temporary folder, removed at the end).</summary>
    public string? Root { get; set; }

    public static ChaosOptions Parse(string[] args)
    {
        var options = new ChaosOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--queries": options.Queries = Next(); break;
                case "--documents": options.Documents = Next(); break;
                case "--pairs": options.Pairs = Int(); break;
                case "--kills": options.Kills = Int(); break;
                case "--azurite-restarts": options.AzuriteRestarts = Int(); break;
                case "--fault-rate": options.FaultRate = double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture); break;
                case "--min-seconds": options.MinSecondsBetweenKills = Int(); break;
                case "--max-seconds": options.MaxSecondsBetweenKills = Int(); break;
                case "--seed": options.Seed = Int(); break;
                case "--final-timeout-minutes": options.FinalTimeoutMinutes = Int(); break;
                case "--root": options.Root = Next(); break;
                default: throw new ArgumentException($"unknown option {args[i]} (see bench/Chaos/README.md)");
            }
        }

        if (options.Pairs < 1 || options.Kills < 0 || options.AzuriteRestarts < 0 || options.FaultRate is < 0 or > 0.7
            || options.MinSecondsBetweenKills < 1 || options.MaxSecondsBetweenKills < options.MinSecondsBetweenKills)
        {
            throw new ArgumentException("--pairs ≥ 1, --kills ≥ 0, --azurite-restarts ≥ 0, --fault-rate in [0, 0.7], 1 ≤ --min-seconds ≤ --max-seconds");
        }

        return options;
    }
}
