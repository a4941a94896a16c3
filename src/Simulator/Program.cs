namespace WildLong.Simulator;

/// <summary>Console entry point: parse flags, start the server, run until Ctrl+C.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            Console.Out.Write(SimulatorCommandLine.Help());
            return 0;
        }

        var options = SimulatorCommandLine.Parse(args, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync("error: " + error);
            return 2;
        }

        await using var server = await SimulatorServer.StartStandaloneAsync(options,
            logging => logging
                .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
                .AddSimpleConsole(c =>
                {
                    c.SingleLine = true;
                    c.TimestampFormat = "HH:mm:ss ";
                }), CancellationToken.None);
        await Console.Out.WriteLineAsync($"Simulator ready at {server.BaseAddress} (api key: {server.ApiKey}). Ctrl+C to stop.");
        await server.WaitForShutdownAsync(CancellationToken.None);
        return 0;
    }
}
