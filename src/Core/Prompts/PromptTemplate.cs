using System.Text;
using System.Text.RegularExpressions;

namespace WildLong.Core.Prompts;

/// <summary>
/// A versioned prompt with a system and a user part and <c>{{placeholders}}</c>. The version goes into every
/// output record and into the response-cache key, so changing a prompt invalidates what was generated with it.
/// </summary>
public sealed partial class PromptTemplate
{
    public PromptTemplate(string name, string version, string system, string user)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(version);
        Name = name;
        Version = version;
        System = system ?? string.Empty;
        User = user ?? string.Empty;
    }

    public string Name { get; }

    public string Version { get; }

    public string System { get; }

    public string User { get; }

    /// <summary>"name@version", as recorded in output metadata.</summary>
    public string Id => $"{Name}@{Version}";

    /// <summary>
    /// Parses the prompt file format: header lines <c># name: …</c> and <c># version: …</c>, then sections that
    /// start with <c>### system</c> and <c>### user</c>.
    /// </summary>
    public static PromptTemplate Parse(string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? name = null, version = null, section = null;
        var parts = new Dictionary<string, StringBuilder>(StringComparer.OrdinalIgnoreCase);
        var lineNumber = 0;
        foreach (var rawLine in text.ReplaceLineEndings("\n").Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd();
            if (section is null && line.StartsWith("# ", StringComparison.Ordinal))
            {
                var header = line[2..].Split(':', 2);
                if (header.Length == 2)
                {
                    var key = header[0].Trim().ToLowerInvariant();
                    if (key == "name")
                    {
                        name = header[1].Trim();
                    }
                    else if (key == "version")
                    {
                        version = header[1].Trim();
                    }
                }

                continue;
            }

            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                section = line[4..].Trim().ToLowerInvariant();
                if (section is not ("system" or "user"))
                {
                    throw new FormatException($"{origin}:{lineNumber}: unknown prompt section '{section}' (expected 'system' or 'user')");
                }

                parts[section] = new StringBuilder();
                continue;
            }

            if (section is not null)
            {
                parts[section].Append(rawLine).Append('\n');
            }
        }

        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version))
        {
            throw new FormatException($"{origin}: prompt file must start with '# name: …' and '# version: …' lines");
        }

        if (!parts.TryGetValue("user", out var user))
        {
            throw new FormatException($"{origin}: prompt file has no '### user' section");
        }

        return new PromptTemplate(name, version, parts.GetValueOrDefault("system")?.ToString().Trim() ?? string.Empty, user.ToString().Trim());
    }

    /// <summary>Returns a copy with another version label (used to mark overridden prompts).</summary>
    public PromptTemplate WithVersion(string version) => new(Name, version, System, User);

    public string RenderSystem(IReadOnlyDictionary<string, string> values) => Render(System, values);

    public string RenderUser(IReadOnlyDictionary<string, string> values) => Render(User, values);

    private string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Placeholder().Replace(template, match =>
        {
            var key = match.Groups[1].Value;
            return values.TryGetValue(key, out var value)
                ? value
                : throw new KeyNotFoundException($"prompt '{Id}' uses placeholder '{{{{{key}}}}}' but no value was given");
        });
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
