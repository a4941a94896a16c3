using System.Globalization;
using Spectre.Console;
using WildLong.Core.Common;
using WildLong.Core.Runner;
using WildLong.Llm.Costs;

namespace WildLong.Cli;

/// <summary>
/// Prints a finished run's summary the same way on every engine: the steps table (<see cref="RunSummaryTable"/>),
/// one line per reason documents were set aside (<see cref="DocumentNotes"/>), then tokens and cost per stage.
/// </summary>
internal static class RunSummaryView
{
    public static void Print(MethodRunCounts counts, IReadOnlyList<QuarantineEntry> quarantine, CostReport costs)
    {
        ArgumentNullException.ThrowIfNull(costs);
        static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
        var table = new Table().AddColumns("stage", "in", "kept", "rejected").Border(TableBorder.Rounded);
        foreach (var row in RunSummaryTable.Rows(counts, quarantine))
        {
            table.AddRow(row.Step, N(row.In), N(row.Kept), N(row.Rejected));
        }

        AnsiConsole.Write(table);
        DocumentNotes.Print(quarantine);
        AnsiConsole.WriteLine(costs.ToTable());
    }
}
