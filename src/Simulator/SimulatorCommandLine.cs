using System.Globalization;
using System.Text;

namespace WildLong.Simulator;

/// <summary>
/// Turns console flags into <see cref="SimulatorOptions"/>, with one table serving both parsing and
/// <c>--help</c> so the two never disagree.
/// </summary>
internal static class SimulatorCommandLine
{
    private sealed record Flag(string Name, string Value, string Description, Action<Settings, string> Apply);

    private sealed class Settings
    {
        public SimulatorOptions Options { get; } = new();

        public List<string>? DeploymentNames { get; set; }

        public int Tpm { get; set; } = 200_000;

        public int Rpm { get; set; } = 1_200;
    }

    private static readonly Flag[] Flags =
    [
        new("--port", "N", "port to listen on (default 5080; 0 = any free port)", (s, v) => s.Options.Port = Int(v)),
        new("--host", "ADDR", "address to listen on (default 127.0.0.1; 0.0.0.0 for all interfaces)", (s, v) => s.Options.Host = v),
        new("--api-key", "KEY", "key clients must send as api-key or Bearer token (default wildlong-simulator-key)", (s, v) => s.Options.ApiKey = v),
        new("--deployments", "A,B", "deployment/model names served (default gpt-4o-mini,gpt-4o,gpt-4.1-mini,gpt-4.1)", (s, v) => s.DeploymentNames = [.. v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]),
        new("--tpm", "N", "tokens per minute per deployment (default 200000)", (s, v) => s.Tpm = Int(v)),
        new("--rpm", "N", "requests per minute per deployment (default 1200)", (s, v) => s.Rpm = Int(v)),
        new("--default-max-tokens", "N", "output tokens charged when a request sets no max_tokens (default 4096)", (s, v) => s.Options.DefaultMaxTokens = Int(v)),
        new("--cache-minutes", "N", "prompt-cache lifetime in minutes, 5-10 (default 5)", (s, v) => s.Options.CacheWindowMinutes = Int(v)),
        new("--seed", "N", "content seed (default 250216684)", (s, v) => s.Options.Seed = long.Parse(v, CultureInfo.InvariantCulture)),
        new("--ttft-ms", "MS", "time to first token (default 0)", (s, v) => s.Options.Latency.TimeToFirstTokenMs = Double(v)),
        new("--per-token-ms", "MS", "time per output token (default 0)", (s, v) => s.Options.Latency.PerOutputTokenMs = Double(v)),
        new("--jitter", "F", "relative latency jitter in [0,1] (default 0)", (s, v) => s.Options.Latency.Jitter = Double(v)),
        new("--fault-seed", "N", "seed of fault draws (default 7)", (s, v) => s.Options.Faults.Seed = long.Parse(v, CultureInfo.InvariantCulture)),
        new("--fault-500", "RATE", "rate of HTTP 500 answers", (s, v) => s.Options.Faults.ServerErrorRate = Double(v)),
        new("--fault-503", "RATE", "rate of HTTP 503 answers", (s, v) => s.Options.Faults.ServiceUnavailableRate = Double(v)),
        new("--fault-reset", "RATE", "rate of aborted connections", (s, v) => s.Options.Faults.ConnectionResetRate = Double(v)),
        new("--fault-hang", "RATE", "rate of requests that hang", (s, v) => s.Options.Faults.HangRate = Double(v)),
        new("--hang-seconds", "S", "how long a hang lasts (default 600)", (s, v) => s.Options.Faults.HangSeconds = Double(v)),
        new("--fault-malformed", "RATE", "rate of 200 answers with a cut-off JSON body", (s, v) => s.Options.Faults.MalformedJsonRate = Double(v)),
        new("--fault-truncate", "RATE", "rate of answers cut short with finish_reason=length", (s, v) => s.Options.Faults.TruncatedContentRate = Double(v)),
        new("--fault-schema", "RATE", "rate of structured answers that violate the schema", (s, v) => s.Options.Faults.SchemaViolationRate = Double(v)),
        new("--metrics-log-seconds", "S", "interval of the metrics log line (default 60; 0 = off)", (s, v) => s.Options.MetricsLogIntervalSeconds = Double(v)),
    ];

    public static string Help()
    {
        var text = new StringBuilder();
        text.AppendLine("WildLong simulator: an OpenAI / Azure OpenAI compatible chat-completions server without a model.");
        text.AppendLine();
        text.AppendLine("Usage: dotnet run --project src/Simulator -- [options]");
        text.AppendLine();
        foreach (var flag in Flags)
        {
            text.Append("  ").Append($"{flag.Name} {flag.Value}".PadRight(28)).AppendLine(flag.Description);
        }

        text.Append("  ").Append("--help".PadRight(28)).AppendLine("print this help");
        text.AppendLine();
        text.AppendLine("Routes: POST /openai/deployments/{d}/chat/completions?api-version=..., POST /v1/chat/completions,");
        text.AppendLine("POST /openai/v1/chat/completions, GET /v1/models, GET /metrics, GET /health.");
        return text.ToString();
    }

    /// <summary>Parses the flags; returns null with an error message when a flag is unknown or its value invalid.</summary>
    public static SimulatorOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var settings = new Settings();
        settings.Options.Port = 5080;
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = args[i].Split('=', 2) is [var n, var v] ? (n, (string?)v) : (args[i], null);
            var flag = Array.Find(Flags, f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (flag is null)
            {
                error = $"unknown option '{args[i]}' (see --help)";
                return null;
            }

            var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
            if (value is null)
            {
                error = $"option {flag.Name} needs a value ({flag.Value})";
                return null;
            }

            try
            {
                flag.Apply(settings, value);
            }
            catch (FormatException)
            {
                error = $"option {flag.Name}: '{value}' is not a valid {flag.Value}";
                return null;
            }
            catch (OverflowException)
            {
                error = $"option {flag.Name}: '{value}' is out of range";
                return null;
            }
        }

        var names = settings.DeploymentNames ?? [.. settings.Options.Deployments.Select(d => d.Name)];
        settings.Options.Deployments = [.. names.Select(n => new DeploymentOptions(n, settings.Tpm, settings.Rpm))];
        try
        {
            settings.Options.Validate();
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
            return null;
        }

        return settings.Options;
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static double Double(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
}
