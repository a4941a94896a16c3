namespace WildLong.Simulator.Tests;

/// <summary>The console flags map onto <see cref="SimulatorOptions"/> and --help documents every one of them.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void Flags_set_quota_latency_faults_cache_and_key()
    {
        var options = SimulatorCommandLine.Parse(
            ["--port", "5080", "--tpm", "200000", "--rpm", "1200", "--deployments", "a,b", "--api-key", "k", "--cache-minutes", "10",
             "--ttft-ms", "250", "--per-token-ms=12.5", "--jitter", "0.2", "--fault-503", "0.05", "--fault-hang", "0.01", "--hang-seconds", "90"],
            out var error);

        Assert.Null(error);
        Assert.NotNull(options);
        Assert.Equal(5080, options.Port);
        Assert.Equal(["a", "b"], options.Deployments.Select(d => d.Name));
        Assert.All(options.Deployments, d => Assert.Equal((200_000, 1_200), (d.TokensPerMinute, d.RequestsPerMinute)));
        Assert.Equal(("k", 10), (options.ApiKey, options.CacheWindowMinutes));
        Assert.Equal((250.0, 12.5, 0.2), (options.Latency.TimeToFirstTokenMs, options.Latency.PerOutputTokenMs, options.Latency.Jitter));
        Assert.Equal((0.05, 0.01, 90.0), (options.Faults.ServiceUnavailableRate, options.Faults.HangRate, options.Faults.HangSeconds));
    }

    [Theory]
    [InlineData("--bogus", "unknown option")]
    [InlineData("--tpm", "needs a value")]
    [InlineData("--tpm=lots", "not a valid")]
    [InlineData("--cache-minutes=3", "between 5 and 10")]
    [InlineData("--fault-500=0.8 --fault-503=0.8", "sum to at most 1")]
    public void Invalid_flags_are_reported(string args, string expected)
    {
        var options = SimulatorCommandLine.Parse(args.Split(' '), out var error);

        Assert.Null(options);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_flag_the_parser_accepts()
    {
        var help = SimulatorCommandLine.Help();

        foreach (var flag in new[] { "--port", "--tpm", "--rpm", "--api-key", "--cache-minutes", "--ttft-ms", "--per-token-ms", "--jitter",
                     "--fault-500", "--fault-503", "--fault-reset", "--fault-hang", "--fault-malformed", "--fault-truncate", "--fault-schema", "--seed" })
        {
            Assert.Contains(flag, help, StringComparison.Ordinal);
            Assert.NotNull(SimulatorCommandLine.Parse([flag, flag == "--api-key" ? "x" : flag == "--cache-minutes" ? "6" : "1"], out _));
        }
    }
}
