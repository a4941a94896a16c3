namespace WildLong.Cli.Tests;

/// <summary>Runs the wildlong command line in-process as a user would call it and captures what it printed (standard output and error).</summary>
internal static class CliInvoker
{
    public static async Task<(int Code, string Output)> InvokeAsync(params string[] args)
    {
        var (original, originalError) = (Console.Out, Console.Error);
        using var writer = new StringWriter();
        Console.SetOut(writer);
        Console.SetError(writer);
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(writer),
            Interactive = Spectre.Console.InteractionSupport.No,
            Ansi = Spectre.Console.AnsiSupport.No,
        });
        try
        {
            var code = await WildLongCommandLine.InvokeAsync(args);
            return (code, writer.ToString());
        }
        finally
        {
            Console.SetOut(original);
            Console.SetError(originalError);
        }
    }
}
