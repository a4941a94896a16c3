using System.Globalization;

namespace WildLong.Bench.LlmLoad;

/// <summary>Command-line settings of the load benchmark; defaults reproduce the reported run.</summary>
public sealed class BenchOptions
{
    public string Mode { get; private set; } = "all";

    public double Minutes { get; private set; } = 3;

    public double FaultMinutes { get; private set; } = 1.5;

    public int Tpm { get; private set; } = 300_000;

    public int Rpm { get; private set; } = 1_800;

    public int Workers { get; private set; } = 18;

    public int LongWorkers { get; private set; } = 6;

    public int NaiveConcurrency { get; private set; } = 32;

    public int LongMinTokens { get; private set; } = 20_000;

    public int LongMaxTokens { get; private set; } = 45_000;

    public double FaultRate { get; private set; } = 0.2;

    /// <summary>Worker processes calling one deployment in the share mode (each with its own limiter, as separate processes have).</summary>
    public int Processes { get; private set; } = 3;

    /// <summary>Our client's QuotaHeadroom; the simulator charges exactly what the client estimates, so none is needed.</summary>
    public double Headroom { get; private set; }

    public string DataDirectory { get; private set; } = "/work/shared/data";

    /// <summary>Queries of the run in the workers mode: the first N lines of the shared queries file (0: all).</summary>
    public int Queries { get; private set; }

    /// <summary>Limiter modes the workers mode runs, in this order (per-process, shared).</summary>
    public IReadOnlyList<string> Limiters { get; private set; } = ["per-process", "shared"];

    /// <summary>Pairs the run in the workers mode asks for.</summary>
    public int Pairs { get; private set; } = 20;

    /// <summary>Heartbeat interval of the quota pool in the share modes (the default of <c>QuotaShareInterval</c>).</summary>
    public double ShareIntervalSeconds { get; private set; } = 2;

    /// <summary>Set in a worker process the share mode started: it runs one worker against the parent's simulator and Azurite.</summary>
    public bool Child { get; private set; }

    public int ChildIndex { get; private set; }

    public bool ChildShares { get; private set; }

    public string? ChildEndpoint { get; private set; }

    public string? ChildApiKey { get; private set; }

    public string? ChildStorage { get; private set; }

    public string? ChildTable { get; private set; }

    public ulong Seed { get; private set; } = 2502_16684;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Number() => double.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--mode": options.Mode = Next(); break;
                case "--minutes": options.Minutes = Number(); break;
                case "--fault-minutes": options.FaultMinutes = Number(); break;
                case "--tpm": options.Tpm = (int)Number(); break;
                case "--rpm": options.Rpm = (int)Number(); break;
                case "--workers": options.Workers = (int)Number(); break;
                case "--naive-concurrency": options.NaiveConcurrency = (int)Number(); break;
                case "--long-workers": options.LongWorkers = (int)Number(); break;
                case "--long-min": options.LongMinTokens = (int)Number(); break;
                case "--long-max": options.LongMaxTokens = (int)Number(); break;
                case "--fault-rate": options.FaultRate = Number(); break;
                case "--processes": options.Processes = (int)Number(); break;
                case "--headroom": options.Headroom = Number(); break;
                case "--data": options.DataDirectory = Next(); break;
                case "--queries": options.Queries = (int)Number(); break;
                case "--pairs": options.Pairs = (int)Number(); break;
                case "--limiters": options.Limiters = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--seed": options.Seed = ulong.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--share-interval": options.ShareIntervalSeconds = Number(); break;
                case "--child": options.Child = true; options.ChildIndex = (int)Number(); break;
                case "--child-shares": options.ChildShares = bool.Parse(Next()); break;
                case "--child-endpoint": options.ChildEndpoint = Next(); break;
                case "--child-api-key": options.ChildApiKey = Next(); break;
                case "--child-storage": options.ChildStorage = Next(); break;
                case "--child-table": options.ChildTable = Next(); break;
                case "--help":
                case "-h":
                    Console.WriteLine("""
                        WildLong.Bench.LlmLoad — the quota-aware model client against the simulator.
                          --mode all|quota|wildlong|naive|faults|share|share-in-process|workers|charges
                                                    quota = ours then naive on the same quota; faults = fault storm;
                                                    share = N worker processes on one deployment (simulator and Azurite in this
                                                    process), each limiter on its own vs sharing the quota through a table;
                                                    share-in-process = the same with N limiters in this process;
                                                    workers = N real `wildlong worker` processes on one task hub doing a
                                                    real run, per-process limiter vs shared quota (window: --minutes);
                                                    charges = what an extraction call is charged, schema included (default all)
                          --processes N             workers in the share modes, each with its own limiter (default 3)
                          --share-interval S        heartbeat interval of the quota pool (default 2)
                          --minutes N               duration of each quota run (default 3)
                          --fault-minutes N         duration of the fault storm (default 1.5)
                          --tpm N --rpm N           deployment quota (default 300000 / 1800)
                          --workers N               callers issuing extraction-sized calls (default 18; per worker in the share modes)
                          --long-workers N          callers issuing long-document calls (default 6)
                          --naive-concurrency N     fixed concurrency of the naive client, split in the same ratio (default 32)
                          --long-min N --long-max N prompt tokens of long calls (default 20000..45000)
                          --fault-rate X            total injected fault rate in the storm (default 0.2)
                          --headroom X              our client's QuotaHeadroom (default 0: the simulator counts exactly as we estimate)
                          --data DIR                shared data directory (default /work/shared/data)
                          --limiters L              workers mode: per-process,shared (default both, in that order)
                          --queries N --pairs N     workers mode: the run's first N queries (default 0: all) and pairs asked (default 20)
                        """);
                    Environment.Exit(0);
                    break;
                default: throw new ArgumentException($"unknown option {args[i]} (see --help)");
            }
        }

        return options;
    }
}
