using System.Text.RegularExpressions;
using Spectre.Console;

namespace WildLong.Cli;

/// <summary>
/// The console lines every command shares: an error is ONE line (<c>error: …</c>) however narrow the terminal, and
/// output that goes to a file or a pipe is not wrapped at 80 columns.
/// </summary>
internal static partial class CliConsole
{
    /// <summary>Wide output when stdout is not a terminal, so tables and lines in logs and pipes never wrap.</summary>
    public static void UseWideOutputWhenRedirected()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = 4096;
        }
    }

    /// <summary>Writes <c>error: {message}</c> as one unwrapped line (line breaks and tabs in the message become spaces).</summary>
    public static void Error(string message) => Line("[red]error:[/] ", message);

    /// <summary>Writes <c>warning: {message}</c> as one unwrapped line.</summary>
    public static void Warning(string message) => Line("[yellow]warning:[/] ", message);

    /// <summary>Collapses line breaks and runs of whitespace to single spaces.</summary>
    public static string OneLine(string text) => Whitespace().Replace(text ?? string.Empty, " ").Trim();

    private static void Line(string label, string message)
    {
        AnsiConsole.Markup(label);
        var writer = AnsiConsole.Profile.Out.Writer;
        writer.WriteLine(OneLine(message));
        writer.Flush();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
