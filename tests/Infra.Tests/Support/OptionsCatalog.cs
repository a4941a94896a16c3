using System.ComponentModel;
using System.Reflection;

namespace WildLong.Infra.Tests.Support;

/// <summary>
/// The configuration surface of the WildLong assemblies, found by reflection: every type declaring
/// <c>public const string SectionName</c> and its public settable properties. Lets a test decide whether an app
/// setting such as <c>WildLong__Model__Tpm</c> binds to something real, the way the configuration binder would.
/// </summary>
public sealed class OptionsCatalog
{
    private OptionsCatalog(IReadOnlyDictionary<string, Type> sections) => Sections = sections;

    /// <summary>Section path (<c>WildLong:Model</c>) → options type.</summary>
    public IReadOnlyDictionary<string, Type> Sections { get; }

    /// <summary>Loads every WildLong.*.dll beside the test assembly (except the tests) and collects the options types.</summary>
    public static OptionsCatalog Load()
    {
        var directory = Path.GetDirectoryName(typeof(OptionsCatalog).Assembly.Location)!;
        var testAssembly = typeof(OptionsCatalog).Assembly.GetName().Name;
        var sections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in Directory.EnumerateFiles(directory, "WildLong.*.dll").Order(StringComparer.Ordinal))
        {
            var name = AssemblyName.GetAssemblyName(path);
            if (name.Name == testAssembly)
            {
                continue;
            }

            foreach (var type in Assembly.Load(name).GetExportedTypes())
            {
                var field = type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static);
                if (field is { IsLiteral: true } && field.FieldType == typeof(string) && field.GetRawConstantValue() is string section)
                {
                    if (!sections.TryAdd(section, type))
                    {
                        throw new InvalidOperationException($"Section '{section}' is declared by both {sections[section]} and {type}.");
                    }
                }
            }
        }

        return new OptionsCatalog(sections);
    }

    /// <summary>
    /// Resolves an environment-style setting name (<c>WildLong__Storage__BlobServiceUri</c>) to the property it
    /// binds. Returns null and a reason when it binds nothing or only a complex object.
    /// </summary>
    public PropertyInfo? Resolve(string settingName, out string reason)
    {
        var key = settingName.Replace("__", ":", StringComparison.Ordinal);
        var section = Sections.Keys
            .Where(candidate => key.StartsWith(candidate + ":", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(candidate => candidate.Length)
            .FirstOrDefault();
        if (section is null)
        {
            reason = $"no options class declares a SectionName that is a prefix of '{key}'";
            return null;
        }

        var type = Sections[section];
        var segments = key[(section.Length + 1)..].Split(':');
        PropertyInfo? property = null;
        for (var i = 0; i < segments.Length; i++)
        {
            property = type.GetProperty(segments[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || property.GetMethod is not { IsPublic: true })
            {
                reason = $"{type.FullName} has no public property '{segments[i]}' (section {section})";
                return null;
            }

            var last = i == segments.Length - 1;
            if (!last)
            {
                if (IsScalar(property.PropertyType))
                {
                    reason = $"{type.FullName}.{property.Name} is a value; '{string.Join(':', segments[(i + 1)..])}' cannot go below it";
                    return null;
                }

                type = property.PropertyType;
            }
        }

        if (property!.SetMethod is not { IsPublic: true })
        {
            reason = $"{property.DeclaringType!.FullName}.{property.Name} has no public setter";
            return null;
        }

        if (!IsScalar(property.PropertyType))
        {
            reason = $"{property.DeclaringType!.FullName}.{property.Name} is an object ({property.PropertyType.Name}), not a value a setting can hold";
            return null;
        }

        reason = "";
        return property;
    }

    /// <summary>True when the binder can make the type from one configuration string.</summary>
    public static bool IsScalar(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying == typeof(string) || TypeDescriptor.GetConverter(underlying).CanConvertFrom(typeof(string));
    }

    /// <summary>True when a literal setting value converts to the property's type as the binder would.</summary>
    public static bool CanHold(PropertyInfo property, string value)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(string))
        {
            return true;
        }

        try
        {
            return TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value) is not null;
        }
        catch (Exception exception) when (exception is FormatException or NotSupportedException or ArgumentException)
        {
            return false;
        }
    }
}
