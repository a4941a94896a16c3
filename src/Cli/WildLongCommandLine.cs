using System.CommandLine;
using System.Globalization;

namespace WildLong.Cli;

/// <summary>The <c>wildlong</c> command tree. Every command answers <c>--help</c>.</summary>
internal static class WildLongCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("WildLong: synthesize long-context instruction data from real user queries and long documents (arXiv 2502.16684).");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ResumeCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(GraphCommand.Create());
        root.Subcommands.Add(EstimateCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        return root;
    }

    /// <summary>Pairs the quick-start sample asks for unless --pairs says otherwise: enough to show every stage, quick on 2 cores.</summary>
    private const string SamplePairs = "24";

    /// <summary>Options shared by commands that read a query set and a corpus.</summary>
    internal sealed class InputOptions
    {
        public Option<bool> Sample { get; } = new("--sample") { Description = "Use the bundled sample (300 real queries, 38 real documents), the auto-started simulator and 24 pairs." };

        public Option<string?> Queries { get; } = new("--queries") { Description = "Query file (.jsonl, .parquet) or folder." };

        public Option<string?> Documents { get; } = new("--documents") { Description = "Document corpus: a .jsonl file or a folder of .txt/.md files." };

        public Option<int?> Pairs { get; } = new("--pairs") { Description = "Pairs wanted in the dataset (WildLong:Run:Pairs)." };

        public Option<ulong?> Seed { get; } = new("--seed") { Description = "Seed for sampling, pairing and model calls (WildLong:Generation:Seed)." };

        public Option<double?> MultiDocumentShare { get; } = new("--multi-doc-share") { Description = "Share of multi-document tasks, 0..1 (WildLong:Generation:MultiDocumentShare)." };

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
