using WildLong.Bench.Chaos;

ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 2;
}

return await new ChaosRun(options).RunAsync();
