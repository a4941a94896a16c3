using Microsoft.Extensions.Configuration;

namespace WildLong.Cli;

/// <summary>
/// Configuration with the usual precedence, lowest first: the tool's appsettings.json, ./appsettings.json,
/// a --config file, environment variables (WILDLONG__MODEL__PROVIDER=… maps to WildLong:Model:Provider), flags.
/// </summary>
internal static class CliConfiguration
{
    public static IConfigurationRoot Build(string? configFile, IReadOnlyDictionary<string, string?> flags)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true);
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new CliException(ExitCodes.InputNotFound, $"configuration file not found: {configFile}");
            }

            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }

        try
        {
            return builder.AddEnvironmentVariables().AddInMemoryCollection(flags).Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            // The JSON provider's message names the file; its inner exception says where the JSON breaks.
            var where = ex.InnerException?.Message is { } detail ? $" ({detail.ReplaceLineEndings(" ")})" : string.Empty;
            throw new CliException(ExitCodes.Configuration, $"configuration error: {ex.Message.ReplaceLineEndings(" ")}{where}");
        }
    }
}
