using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.InteropServices;
using WildLong.Llm;

namespace WildLong.Cli;

/// <summary>The <c>wildlong</c> command tree. Every command answers <c>--help</c>.</summary>
internal static class WildLongCommandLine
{
    private const string WaitForLockName = "--wait-for-lock";
    private const string MetricsName = "--metrics";

    /// <summary>The invocation running on this async flow: its command line and global flags (in-process callers may run several).</summary>
    private static readonly AsyncLocal<Invocation?> Current = new();

    /// <summary>The command line being run (<c>wildlong run --sample</c>), as the workspace lock names its holder.</summary>
    public static string CommandText => Current.Value?.CommandText ?? "wildlong";

    /// <summary>True when <c>--wait-for-lock</c> was given: wait for a workspace another process holds instead of failing.</summary>
    public static bool WaitForLock => Current.Value?.WaitForLock ?? false;

    public static RootCommand Create()
    {
        var root = new RootCommand("WildLong: synthesize long-context instruction data from real user queries and long documents (arXiv 2502.16684).");
        root.Options.Add(new Option<bool>(WaitForLockName)
        {
            Description = "When another wildlong process holds the workspace, wait for it (saying who) instead of failing with exit code 6 (WildLong:WorkspaceLock:Wait).",
            Recursive = true,
        });
        root.Options.Add(new Option<bool>(MetricsName)
        {
            Description = "When the command ends, print this process's model meters (WildLong.Model: calls, tokens, 429s, retries and cache hits per stage).",
            Recursive = true,
        });
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ResumeCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(GraphCommand.Create());
        root.Subcommands.Add(EstimateCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs a command line. A parse error (an unknown flag, a value that is not a number, a missing
    /// argument) is one line and exit code 2; an exception no command caught is one line and exit code 70
    /// (<see cref="CommandRunner.ReportUnexpected"/>).
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        CliConsole.UseWideOutputWhenRedirected();
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            var command = parse.CommandResult.Command is RootCommand ? "wildlong" : "wildlong " + CommandPath(parse.CommandResult);
            var messages = parse.Errors.Select(e => CliConsole.OneLine(e.Message)).Distinct(StringComparer.Ordinal).OrderBy(m => m.StartsWith("Required command", StringComparison.Ordinal));
            CliConsole.Error($"{string.Join(" ", messages)} (see `{command} --help`)");
            return ExitCodes.Configuration;
        }

        Current.Value = new Invocation("wildlong " + string.Join(' ', args), parse.GetValue<bool>(WaitForLockName));

        // Ctrl+C, SIGINT and SIGTERM cancel the command, which stops its run, keeps its state, stops what it started
        // (simulator, Azurite) and exits 130. A second signal while it is stopping ends the process at once.
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var metrics = parse.GetValue<bool>(MetricsName) ? new ModelMetricsCollector() : null;
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, stop.Token);
        }
        catch (Exception ex)
        {
            return CommandRunner.ReportUnexpected(ex);
        }
        finally
        {
            if (metrics is not null)
            {
                Spectre.Console.AnsiConsole.Write(metrics.ToTable());
            }
        }
    }

    private sealed record Invocation(string CommandText, bool WaitForLock);

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is CommandResult { Command: not RootCommand } command; current = current.Parent)
        {
            names.Insert(0, command.Command.Name);
        }

        return string.Join(' ', names);
    }

    /// <summary>Pairs the quick-start sample asks for unless --pairs says otherwise: enough to show every stage, quick on 2 cores.</summary>
    private const string SamplePairs = "24";

    /// <summary>Options shared by commands that read a query set and a corpus.</summary>
    internal sealed class InputOptions
    {
        public Option<bool> Sample { get; } = new("--sample") { Description = "Use the bundled sample (300 real queries, 38 real documents), the auto-started simulator and 24 pairs." };

        public Option<string?> Queries { get; } = new("--queries") { Description = "Query file (.jsonl, .parquet) or folder." };

        public Option<string?> Documents { get; } = new("--documents") { Description = "Document corpus: a .jsonl file or a folder of .txt/.md files." };

        public Option<int?> Pairs { get; } = new("--pairs")
        {
            Description = "Pairs wanted in the dataset, at least 1 (WildLong:Run:Pairs).",
            CustomParser = r => Parse(r, "--pairs", "a whole number of at least 1", (string t, out int? v) => (v = int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : null) is not null),
        };

        public Option<ulong?> Seed { get; } = new("--seed")
        {
            Description = "Seed for sampling, pairing and model calls, a whole number of 0 or more (WildLong:Generation:Seed).",
            CustomParser = r => Parse(r, "--seed", "a whole number of 0 or more", (string t, out ulong? v) => (v = ulong.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null) is not null),
        };

        public Option<double?> MultiDocumentShare { get; } = new("--multi-doc-share")
        {
            Description = "Share of multi-document tasks, 0..1 (WildLong:Generation:MultiDocumentShare).",
            CustomParser = r => Parse(r, "--multi-doc-share", "a number from 0 to 1", (string t, out double? v) => (v = double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 1 ? n : null) is not null),
        };

        public Option<string?> Llm { get; } = new("--llm") { Description = "Model provider: simulator (auto-started), azure-openai or openai-compatible (WildLong:Model:Provider)." };

        public Option<string?> Config { get; } = new("--config") { Description = "A JSON configuration file (same keys as appsettings.json)." };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Sample, Queries, Documents, Pairs, Seed, MultiDocumentShare, Llm, Config })
            {
                command.Options.Add(option);
            }
        }

        /// <summary>Resolves the input paths (checking they exist) and turns flags into configuration overrides.</summary>
        public (string Queries, string Documents, Dictionary<string, string?> Flags) Resolve(ParseResult parse)
        {
            string? queries = parse.GetValue(Queries), documents = parse.GetValue(Documents);
            var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (parse.GetValue(Sample))
            {
                var sample = SampleData.Locate();
                queries ??= sample.Queries;
                documents ??= sample.Documents;
                flags["WildLong:Model:Provider"] = "simulator";
                flags["WildLong:Model:Endpoint"] = null;
                flags["WildLong:Run:Pairs"] = SamplePairs;
            }

            if (queries is null || documents is null)
            {
                throw new CliException(ExitCodes.Configuration, "give --queries and --documents, or --sample");
            }

            foreach (var path in new[] { queries, documents })
            {
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    throw new CliException(ExitCodes.InputNotFound, $"input not found: {path}");
                }
            }

            Set(flags, "WildLong:Run:Pairs", parse.GetValue(Pairs));
            Set(flags, "WildLong:Generation:Seed", parse.GetValue(Seed));
            Set(flags, "WildLong:Generation:MultiDocumentShare", parse.GetValue(MultiDocumentShare));
            if (parse.GetValue(Llm) is { } llm)
            {
                flags["WildLong:Model:Provider"] = llm;
            }

            return (queries, documents, flags);
        }

        private delegate bool TryParser<T>(string token, out T? value)
            where T : struct;

        /// <summary>Parses one token, or records an error that names the flag, what it takes and what it got.</summary>
        private static T? Parse<T>(ArgumentResult result, string flag, string expected, TryParser<T> parser)
            where T : struct
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (parser(token, out var value))
            {
                return value;
            }

            result.AddError($"{flag} takes {expected} (was '{token}')");
            return null;
        }

        private static void Set<T>(Dictionary<string, string?> flags, string key, T? value)
            where T : struct, IFormattable
        {
            if (value is { } v)
            {
                flags[key] = v.ToString(null, CultureInfo.InvariantCulture);
            }
        }
    }
}
