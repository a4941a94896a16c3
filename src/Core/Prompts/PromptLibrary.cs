using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;

namespace WildLong.Core.Prompts;

/// <summary>
/// Resolves prompts by name: the built-in ones (embedded <c>*.prompt.txt</c> files that sit beside the code that
/// parses their answers) unless the configured override folder has a file of the same name.
/// </summary>
public sealed class PromptLibrary
{
    private const string ResourcePrefix = "WildLong.Prompts.";
    private const string Suffix = ".prompt.txt";
    private readonly PromptOptions options;
    private readonly ConcurrentDictionary<string, PromptTemplate> cache = new(StringComparer.Ordinal);

    public PromptLibrary(IOptions<PromptOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
    }

    /// <summary>A library with built-in prompts only.</summary>
    public static PromptLibrary Default { get; } = new(Options.Create(new PromptOptions()));

    /// <summary>The names of the built-in prompts.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = typeof(PromptLibrary).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(Suffix, StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^Suffix.Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>
    /// "name@version" of every built-in prompt as this library resolves it (an override's version where one
    /// exists): what a dataset manifest lists, so it names every prompt of the method, not only those its records
    /// happen to carry.
    /// </summary>
    public IReadOnlyList<string> Ids => [.. BuiltInNames.Select(n => Get(n).Id)];

    public PromptTemplate Get(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return cache.GetOrAdd(name, Load);
    }

    private PromptTemplate Load(string name)
    {
        if (!string.IsNullOrEmpty(options.OverrideDirectory))
        {
            var path = Path.Combine(options.OverrideDirectory, name + Suffix);
            if (File.Exists(path))
            {
                var text = File.ReadAllText(path);
                var prompt = PromptTemplate.Parse(text, path);
                return prompt.WithVersion($"{prompt.Version}+override.{StableHash.ContentAddress(text)[..8]}");
            }
        }

        var assembly = typeof(PromptLibrary).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourcePrefix + name + Suffix)
            ?? throw new KeyNotFoundException($"no prompt named '{name}' (built-in prompts: {string.Join(", ", BuiltInNames)})");
        using var reader = new StreamReader(stream);
        return PromptTemplate.Parse(reader.ReadToEnd(), $"built-in prompt '{name}'");
    }
}
