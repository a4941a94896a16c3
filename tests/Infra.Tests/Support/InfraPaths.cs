using System.Reflection;

namespace WildLong.Infra.Tests.Support;

/// <summary>
/// Where the repository and the Bicep CLI are, as the build recorded them (assembly metadata written from the
/// project file), so tests never guess paths from the working directory.
/// </summary>
public static class InfraPaths
{
    private static readonly Lazy<string> Bicep = new(FindBicep);

    public static string RepositoryRoot { get; } = Path.GetFullPath(Metadata("RepositoryRoot"));

    public static string InfraDirectory => Path.Combine(RepositoryRoot, "infra");

    public static string MainBicep => Path.Combine(InfraDirectory, "main.bicep");

    /// <summary>The <c>bicep</c> binary from the Azure.Bicep.CommandLine.linux-x64 package, made executable.</summary>
    public static string BicepExecutable => Bicep.Value;

    /// <summary>Every .bicep file under infra/, relative to it, sorted.</summary>
    public static IReadOnlyList<string> BicepFiles() =>
        [.. Directory.EnumerateFiles(InfraDirectory, "*.bicep", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(InfraDirectory, path))
            .Order(StringComparer.Ordinal)];

    private static string Metadata(string key)
    {
        var value = typeof(InfraPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == key)?.Value;
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException($"Assembly metadata '{key}' is missing; see Infra.Tests.csproj.")
            : value;
    }

    private static string FindBicep()
    {
        var path = Metadata("BicepPath");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The Bicep CLI is not at '{path}'. Restore tests/Infra.Tests (package Azure.Bicep.CommandLine.linux-x64).", path);
        }

        // NuGet extraction does not always keep the executable bit.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, mode | execute);
            }
        }

        return path;
    }
}
