using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using WildLong.Core.Common;

namespace WildLong.Core.Runner;

/// <summary>
/// Collects the named parts of a <see cref="RunFingerprint"/>. Option objects are hashed whole, in a canonical JSON
/// form (property names sorted, enums by name), minus an explicit list of properties that cannot change the output
/// (parallelism, quotas, timeouts): a property added to an options class later is covered without touching this code.
/// </summary>
public sealed class RunFingerprintBuilder
{
    private const int HashChars = 16;
    private const int ShortHashChars = 12;

    private static readonly JsonSerializerOptions CanonicalJson = new()
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    private readonly SortedDictionary<string, string> components = new(StringComparer.Ordinal);

    /// <summary>Adds a part by value; each name once.</summary>
    public RunFingerprintBuilder AddValue(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!components.TryAdd(name, value))
        {
            throw new InvalidOperationException($"the run fingerprint already has a part named '{name}'");
        }

        return this;
    }

    /// <summary>Adds a part as a short hash of <paramref name="content"/> (a file, a serialized artefact).</summary>
    public RunFingerprintBuilder AddContent(string name, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return AddValue(name, ShortHash(content));
    }

    /// <summary>
    /// Adds an options object as a short hash of its canonical JSON, leaving out the top-level properties named in
    /// <paramref name="excluded"/> and replacing those in <paramref name="overrides"/> (a run's own pairs or seed that
    /// take the place of the configured ones). An object with nothing left after exclusion adds no part.
    /// </summary>
    public RunFingerprintBuilder AddOptions(string name, object options, IEnumerable<string>? excluded = null, IReadOnlyDictionary<string, object?>? overrides = null)
    {
        var canonical = Canonical(options, excluded, overrides);
        return canonical == "{}" ? this : AddValue(name, ShortHash(canonical));
    }

    /// <summary>The canonical JSON form that <see cref="AddOptions"/> hashes (exposed so tests and tools can show it).</summary>
    public static string Canonical(object options, IEnumerable<string>? excluded = null, IReadOnlyDictionary<string, object?>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var node = JsonSerializer.SerializeToNode(options, options.GetType(), CanonicalJson);
        if (node is JsonObject root)
        {
            foreach (var property in excluded ?? [])
            {
                root.Remove(property);
            }

            foreach (var (property, value) in overrides ?? new Dictionary<string, object?>())
            {
                if (!root.ContainsKey(property))
                {
                    throw new ArgumentException($"{options.GetType().Name} has no property '{property}' to override", nameof(overrides));
                }

                root[property] = value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), CanonicalJson);
            }
        }

        return Sorted(node)?.ToJsonString(CanonicalJson) ?? "null";
    }

    public RunFingerprint Build()
    {
        var list = components.Select(c => new RunFingerprintComponent(c.Key, c.Value)).ToList();
        var hash = StableHash.ContentAddress([.. list.SelectMany(c => new[] { c.Name, c.Value })])[..HashChars];
        return new RunFingerprint(hash, list);
    }

    private static string ShortHash(string content) => StableHash.ContentAddress(content)[..ShortHashChars];

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        JsonValue v => v.DeepClone(),
        _ => null,
    };
}
