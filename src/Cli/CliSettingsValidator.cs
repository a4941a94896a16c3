using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WildLong.Cli;

/// <summary>
/// Checks every setting a command will use BEFORE anything starts (no Azurite, no simulator, no model call): the
/// services are registered exactly as the host will register them, then every bound options type is read — which
/// surfaces values that do not convert (<c>WILDLONG__MODEL__TPM=fast</c>) and the options validators' findings —
/// and every options type's own <c>Validate()</c> runs (<c>--pairs 0</c>, <c>--multi-doc-share 1.5</c>). The first
/// problem becomes one line and exit code 2.
/// </summary>
internal static partial class CliSettingsValidator
{
    /// <summary>Throws a <see cref="CliException"/> (exit code 2) naming the first invalid setting.</summary>
    public static void Validate(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var optionTypes = services
            .Select(d => d.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            .Select(t => t.GetGenericArguments()[0])
            .Where(t => t.Namespace?.StartsWith("WildLong.", StringComparison.Ordinal) == true) // the engine library's own options need a running host
            .Distinct()
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
        using var provider = services.BuildServiceProvider();
        foreach (var type in optionTypes)
        {
            var accessor = typeof(IOptions<>).MakeGenericType(type);
            try
            {
                var value = accessor.GetProperty(nameof(IOptions<object>.Value))!.GetValue(provider.GetRequiredService(accessor));
                if (type.GetMethod("Validate", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is { ReturnType: var returns } validate && returns == typeof(void))
                {
                    validate.Invoke(value, null);
                }
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw Describe(ex.InnerException, configuration);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or OptionsValidationException or FormatException)
            {
                throw Describe(ex, configuration);
            }
        }
    }

    /// <summary>The one line for a failure of binding or validating settings.</summary>
    public static CliException Describe(Exception exception, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is OptionsValidationException validation)
        {
            return new CliException(ExitCodes.Configuration, "configuration error: " + string.Join("; ", validation.Failures));
        }

        // The binder: "Failed to convert configuration value 'fast' at 'WildLong:Model:Tpm' to type 'System.Int32'."
        var binding = BindingFailure().Match(exception.Message);
        if (binding.Success)
        {
            var key = binding.Groups["key"].Value;
            var type = binding.Groups["type"].Value;
            return new CliException(ExitCodes.Configuration, $"configuration error: {key} is '{configuration[key]}', which is not {Friendly(type)}");
        }

        var message = (exception.InnerException is FormatException inner ? inner : exception).Message;
        return new CliException(ExitCodes.Configuration, "configuration error: " + message.ReplaceLineEndings(" "));
    }

    private static string Friendly(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.UInt64" or "System.UInt32" => "a whole number",
        "System.Double" or "System.Single" or "System.Decimal" => "a number",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "a duration (hh:mm:ss)",
        "System.Uri" => "a URL",
        _ when type.StartsWith("System.Nullable`1[", StringComparison.Ordinal) => Friendly(type["System.Nullable`1[".Length..^1]),
        _ => "a valid " + type[(type.LastIndexOf('.') + 1)..],
    };

    [GeneratedRegex("at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BindingFailure();
}
