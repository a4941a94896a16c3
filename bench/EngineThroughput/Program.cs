using System.Globalization;
using WildLong.Bench.EngineThroughput;
using WildLong.Development.Processes;

TerminationSignal.ExitCleanlyOnSigterm();
var options = BenchOptions.Parse(args);
var culture = CultureInfo.InvariantCulture;
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

using var inputs = await BenchInputs.PrepareAsync(options, stop.Token);
Console.WriteLine(string.Create(culture, $"{inputs.Queries} queries in {Directory.GetFiles(inputs.QueriesFolder).Length} shards, corpus {inputs.DocumentsFile}, {options.Pairs} pairs, seed {options.Seed}"));
Console.WriteLine(string.Create(culture, $"modes {string.Join(", ", options.Modes)}; {options.Repeat} repeat(s); simulator at zero latency, {options.Tpm:N0} TPM / {options.Rpm:N0} RPM; response cache off"));
foreach (var (key, value) in options.Settings)
{
    Console.WriteLine($"  set {key}={value}");
}

foreach (var (key, value) in options.DurableSettings)
{
    Console.WriteLine($"  durable set {key}={value}");
}

Console.WriteLine($"load before: {ResultTable.Load()}");
using var storageRequests = new StorageRequestCounter();
var runner = new ModeRunner(options, inputs, storageRequests);
var results = new List<ModeResult>();
for (var attempt = 1; attempt <= options.Repeat; attempt++)
{
    foreach (var mode in options.Modes)
    {
        Console.WriteLine(string.Create(culture, $"\n== {mode} (run {attempt}/{options.Repeat}) ..."));
        var result = await runner.RunAsync(mode, attempt, stop.Token);
        results.Add(result);
        Console.WriteLine(ResultTable.Describe(result));
        Console.WriteLine($"   load: {ResultTable.Load()}");
    }
}

ResultTable.Print(results, options.Modes);
ResultTable.PrintPerPair(results, options.Modes, options.Pairs);
