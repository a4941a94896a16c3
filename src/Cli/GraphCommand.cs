using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using WildLong.Storage.Graphs;

namespace WildLong.Cli;

/// <summary><c>wildlong graph export</c>: one document type's merged co-occurrence graph, for inspection or plotting.</summary>
internal static class GraphCommand
{
    public static Command Create()
    {
        var docType = new Option<string>("--doc-type") { Description = "The document type (see `wildlong graph export --list`).", Required = false };
        var format = new Option<string>("--format") { Description = "json, graphml or dot.", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "graphml", "dot");
        var output = new Option<string?>("--out") { Description = "File to write (default: standard output)." };
        var list = new Option<bool>("--list") { Description = "List the document types that have a graph, with their record counts." };
        var config = new Option<string?>("--config") { Description = "A JSON configuration file (same keys as appsettings.json)." };
        var export = new Command("export", "Write the merged co-occurrence graph of one document type (counts as stored in Table Storage).");
        foreach (var option in new Option[] { docType, format, output, list, config })
        {
            export.Options.Add(option);
        }

        export.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            // Arguments first: a wrong call must not wait for storage to start.
            var type = parse.GetValue(docType);
            if (!parse.GetValue(list) && type is null)
            {
                throw new CliException(ExitCodes.Configuration, "give --doc-type <type> (or --list to see the types)");
            }

            if (!GraphExporter.TryParseFormat(parse.GetValue(format), out var chosen))
            {
                throw new CliException(ExitCodes.Configuration, $"unknown format '{parse.GetValue(format)}'");
            }

            if (parse.GetValue(output) is { } target && Directory.Exists(target))
            {
                throw new CliException(ExitCodes.Configuration, $"--out {target} is a folder; give a file name");
            }

            await using var host = await CliHost.StartAsync(parse.GetValue(config), new Dictionary<string, string?>(), CliHostMode.Client, cancellationToken);
            var graphs = await host.Services.GetRequiredService<GraphCountStore>().ReadTotalsAsync(cancellationToken);
            if (parse.GetValue(list))
            {
                foreach (var graph in graphs.Graphs)
                {
                    Console.WriteLine($"{graph.DocumentType}\t{graph.RecordCount} records\t{graph.NodeCount} nodes\t{graph.EdgeCount} edges");
                }

                return ExitCodes.Success;
            }

            var selected = graphs[type!]
                ?? throw new CliException(ExitCodes.InputNotFound, $"no graph for document type '{type}'; types with graphs: {string.Join(", ", graphs.DocumentTypes)}");
            var text = GraphExporter.Export(selected, chosen);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file, text, cancellationToken);
                AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {Path.GetFullPath(file)} ({selected.NodeCount} nodes, {selected.EdgeCount} edges)");
            }
            else
            {
                Console.Out.Write(text);
            }

            return ExitCodes.Success;
        }, cancellationToken));

        var command = new Command("graph", "Inspect the meta-information graphs merged from the query shards.");
        command.Subcommands.Add(export);
        return command;
    }
}
