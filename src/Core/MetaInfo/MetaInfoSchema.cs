using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace WildLong.Core.MetaInfo;

/// <summary>
/// The meta-information schema: which fields are extracted from each query, how the model is told about them, and
/// which become graph nodes. It is configuration (a JSON or YAML file), not code, because the right set of fields
/// depends on the query pool and the use case; users add, drop or rename fields without touching the pipeline.
/// One field (<see cref="DocumentTypeField"/>) is special: it is classified into the document taxonomy, so it is
/// declared as <c>string</c> or as <c>enum</c> without values, and the model is offered the taxonomy's type names.
/// </summary>
public sealed partial class MetaInfoSchema
{
    /// <summary>The default name of the field classified into the document taxonomy.</summary>
    public const string DefaultDocumentTypeField = "document_type";

    private const string DefaultResourceName = "WildLong.Defaults.metainfo-schema.default.json";

    private static readonly JsonSerializerOptions FileJsonOptions = new(WildLongJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly JsonSerializerOptions IndentedJsonOptions = new(WildLongJson.Options) { WriteIndented = true };

    private static readonly Lazy<MetaInfoSchema> DefaultSchema = new(LoadDefault);

    private readonly Dictionary<string, MetaInfoField> byName;

    /// <summary>Creates a schema; throws <see cref="ArgumentException"/> naming the first problem found.</summary>
    public MetaInfoSchema(IReadOnlyList<MetaInfoField> fields, string documentTypeField = DefaultDocumentTypeField, string version = "1")
    {
        ArgumentNullException.ThrowIfNull(fields);
        var problem = FindProblem(fields, documentTypeField);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(fields));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        Fields = fields;
        DocumentTypeField = documentTypeField;
        Version = version;
        byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        NonGraphFields = fields.Where(f => !f.InGraph).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        Fingerprint = StableHash.ContentAddress(JsonSerializer.Serialize(ToFile(), WildLongJson.Options))[..12];
    }

    /// <summary>The built-in 13-field schema of the WildLong paper.</summary>
    public static MetaInfoSchema Default => DefaultSchema.Value;

    public IReadOnlyList<MetaInfoField> Fields { get; }

    /// <summary>The field whose answer is a document taxonomy type name.</summary>
    public string DocumentTypeField { get; }

    public string Version { get; }

    /// <summary>A short content hash of the schema, for provenance and cache keys (changes when any field changes).</summary>
    public string Fingerprint { get; }

    /// <summary>Fields whose values do not become graph nodes (pass to the graph builder as its excluded fields).</summary>
    public IReadOnlySet<string> NonGraphFields { get; }

    /// <summary>The fields other than the document type, in schema order.</summary>
    public IEnumerable<MetaInfoField> ValueFields => Fields.Where(f => f.Name != DocumentTypeField);

    public MetaInfoField? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>Loads the schema named by the options, or the default when no path is set.</summary>
    public static MetaInfoSchema FromOptions(IOptions<MetaInfoSchemaOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.Value.SchemaPath) ? Default : Load(options.Value.SchemaPath);
    }

    /// <summary>Loads a schema file; the format follows the extension (.json, .yaml, .yml).</summary>
    public static MetaInfoSchema Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: cannot read the meta-information schema: {ex.Message}", ex);
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".json" => ParseJson(text, path),
            ".yaml" or ".yml" => ParseYaml(text, path),
            _ => throw new FormatException($"{path}: unknown schema file type '{extension}' (use .json, .yaml or .yml)"),
        };
    }

    /// <summary>Parses a JSON schema file; errors are <see cref="FormatException"/>s naming <paramref name="origin"/>.</summary>
    public static MetaInfoSchema ParseJson(string json, string origin)
    {
        ArgumentNullException.ThrowIfNull(json);
        SchemaFile? file;
        try
        {
            file = JsonSerializer.Deserialize<SchemaFile>(json, FileJsonOptions);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{origin}: invalid schema JSON at line {(ex.LineNumber ?? 0) + 1}: {ex.Message}", ex);
        }

        return FromFile(file, origin);
    }

    /// <summary>Parses a YAML schema file (same keys as JSON); errors are <see cref="FormatException"/>s naming <paramref name="origin"/>.</summary>
    public static MetaInfoSchema ParseYaml(string yaml, string origin)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build();
        SchemaFile? file;
        try
        {
            file = deserializer.Deserialize<SchemaFile>(yaml);
        }
        catch (YamlException ex)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            throw new FormatException($"{origin}: invalid schema YAML at line {ex.Start.Line}: {reason}", ex);
        }

        return FromFile(file, origin);
    }

    /// <summary>Serializes the schema in the file format (JSON), e.g. to record which schema a run used.</summary>
    public string ToJson() => JsonSerializer.Serialize(ToFile(), IndentedJsonOptions);

    private static MetaInfoSchema FromFile(SchemaFile? file, string origin)
    {
        if (file?.Fields is null || file.Fields.Count == 0)
        {
            throw new FormatException($"{origin}: the schema needs a non-empty 'fields' list");
        }

        var fields = new List<MetaInfoField>(file.Fields.Count);
        for (var i = 0; i < file.Fields.Count; i++)
        {
            var entry = file.Fields[i];
            var label = $"field #{i + 1}" + (string.IsNullOrWhiteSpace(entry?.Name) ? string.Empty : $" '{entry.Name}'");
            if (entry is null)
            {
                throw new FormatException($"{origin}: {label} is empty");
            }

            if (string.IsNullOrWhiteSpace(entry.Kind))
            {
                throw new FormatException($"{origin}: {label} has no 'kind' (expected one of {KindNames})");
            }

            var kind = ParseKind(entry.Kind)
                ?? throw new FormatException($"{origin}: {label} has unknown kind '{entry.Kind}' (expected one of {KindNames})");
            fields.Add(new MetaInfoField(
                entry.Name ?? string.Empty,
                entry.Description ?? string.Empty,
                kind,
                entry.InGraph ?? kind != MetaInfoFieldKind.Boolean,
                entry.MaxItems,
                entry.Values,
                entry.Required ?? false,
                entry.Vocabulary,
                entry.ExplicitOnly ?? false));
        }

        var documentTypeField = string.IsNullOrWhiteSpace(file.DocumentTypeField) ? DefaultDocumentTypeField : file.DocumentTypeField;
        var problem = FindProblem(fields, documentTypeField);
        if (problem is not null)
        {
            throw new FormatException($"{origin}: {problem}");
        }

        return new MetaInfoSchema(fields, documentTypeField, string.IsNullOrWhiteSpace(file.Version) ? "1" : file.Version);
    }

    private static string? FindProblem(IReadOnlyList<MetaInfoField> fields, string documentTypeField)
    {
        if (fields.Count == 0)
        {
            return "the schema needs at least one field";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (field is null)
            {
                return "a field is null";
            }

            if (string.IsNullOrEmpty(field.Name))
            {
                return "a field has no 'name'";
            }

            if (!SnakeCase().IsMatch(field.Name))
            {
                return $"field name '{field.Name}' is not snake_case (lowercase letters, digits and single underscores, starting with a letter)";
            }

            if (field.Name == "refers_to_document")
            {
                return "field name 'refers_to_document' is reserved for the extraction verdict";
            }

            if (!seen.Add(field.Name))
            {
                return $"field '{field.Name}' is defined twice";
            }

            if (string.IsNullOrWhiteSpace(field.Description))
            {
                return $"field '{field.Name}' has no 'description' (the model needs it)";
            }

            var isDocumentType = field.Name == documentTypeField;
            if (isDocumentType && field.Values is { Count: > 0 })
            {
                return $"the document type field '{field.Name}' must not list 'values': its values are the taxonomy's type names";
            }

            if (!isDocumentType && field.Kind == MetaInfoFieldKind.Enum && (field.Values is null || field.Values.Count == 0 || field.Values.Any(string.IsNullOrWhiteSpace)))
            {
                return $"enum field '{field.Name}' needs a non-empty 'values' list without blank entries";
            }

            if (!isDocumentType && field.Kind == MetaInfoFieldKind.Enum && field.Values!.Distinct(StringComparer.Ordinal).Count() != field.Values!.Count)
            {
                return $"enum field '{field.Name}' lists a value twice";
            }

            if (field.Kind != MetaInfoFieldKind.Enum && field.Values is { Count: > 0 })
            {
                return $"field '{field.Name}' has 'values' but is of kind '{KindName(field.Kind)}' (only enum fields take values)";
            }

            if (field.Vocabulary is not null)
            {
                var vocabularyProblem = FindVocabularyProblem(field, isDocumentType);
                if (vocabularyProblem is not null)
                {
                    return vocabularyProblem;
                }
            }

            if (field.MaxItems is not null && field.Kind != MetaInfoFieldKind.StringList)
            {
                return $"field '{field.Name}' has 'max_items' but is not a string_list";
            }

            if (field.MaxItems is < 1 or > 50)
            {
                return $"field '{field.Name}' has max_items={field.MaxItems}; it must be between 1 and 50";
            }
        }

        if (!seen.Contains(documentTypeField))
        {
            return $"the document type field '{documentTypeField}' is not among the fields (set 'document_type_field' to the field that names the document type)";
        }

        var documentType = fields.First(f => f.Name == documentTypeField);
        if (documentType.Kind is not (MetaInfoFieldKind.String or MetaInfoFieldKind.Enum))
        {
            return $"the document type field '{documentTypeField}' must be of kind 'string' or 'enum' (its values come from the taxonomy)";
        }

        return null;
    }

    private static string? FindVocabularyProblem(MetaInfoField field, bool isDocumentType)
    {
        if (isDocumentType || field.Kind is not (MetaInfoFieldKind.String or MetaInfoFieldKind.StringList))
        {
            return $"field '{field.Name}' has a 'vocabulary' but only string and string_list fields other than the document type take one";
        }

        if (field.Vocabulary!.Count == 0 || field.Vocabulary.Count > MaxVocabularySize)
        {
            return $"field '{field.Name}' has {field.Vocabulary.Count} vocabulary entries; give between 1 and {MaxVocabularySize}";
        }

        var entries = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in field.Vocabulary)
        {
            if (string.IsNullOrWhiteSpace(entry) || entry != entry.Trim())
            {
                return $"field '{field.Name}' has a blank vocabulary entry or one with surrounding spaces";
            }

            if (entry.Equals(MetaInfoField.OtherValue, StringComparison.OrdinalIgnoreCase) || entry.StartsWith(MetaInfoField.OtherPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return $"field '{field.Name}' lists '{entry}' in its vocabulary; 'other' and 'other: …' are built in";
            }

            if (entry.Length > 60)
            {
                return $"field '{field.Name}' has vocabulary entry '{entry[..20]}…' longer than 60 characters; entries are short canonical phrases";
            }

            if (!entries.Add(entry))
            {
                return $"field '{field.Name}' lists vocabulary entry '{entry}' twice";
            }
        }

        return null;
    }

    /// <summary>Most entries in one field's vocabulary (strict structured outputs allow 500 enum values in all).</summary>
    public const int MaxVocabularySize = 60;

    private static string KindNames => "string, string_list, boolean, enum";

    /// <summary>The file-format name of a kind.</summary>
    public static string KindName(MetaInfoFieldKind kind) => kind switch
    {
        MetaInfoFieldKind.String => "string",
        MetaInfoFieldKind.StringList => "string_list",
        MetaInfoFieldKind.Boolean => "boolean",
        MetaInfoFieldKind.Enum => "enum",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static MetaInfoFieldKind? ParseKind(string text) => text.Trim().ToLowerInvariant() switch
    {
        "string" => MetaInfoFieldKind.String,
        "string_list" or "list" => MetaInfoFieldKind.StringList,
        "boolean" or "bool" => MetaInfoFieldKind.Boolean,
        "enum" => MetaInfoFieldKind.Enum,
        _ => null,
    };

    private SchemaFile ToFile() => new()
    {
        Version = Version,
        DocumentTypeField = DocumentTypeField,
        Fields = [.. Fields.Select(f => new FieldFile
        {
            Name = f.Name,
            Kind = KindName(f.Kind),
            Description = f.Description,
            InGraph = f.InGraph,
            MaxItems = f.MaxItems,
            Values = f.Values?.ToList(),
            Required = f.Required,
            Vocabulary = f.Vocabulary?.ToList(),
            ExplicitOnly = f.ExplicitOnly ? true : null,
        })],
    };

    private static MetaInfoSchema LoadDefault()
    {
        using var stream = typeof(MetaInfoSchema).Assembly.GetManifestResourceStream(DefaultResourceName)
            ?? throw new InvalidOperationException($"the built-in schema resource '{DefaultResourceName}' is missing");
        using var reader = new StreamReader(stream);
        return ParseJson(reader.ReadToEnd(), "built-in meta-information schema");
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    private sealed class SchemaFile
    {
        public string? Version { get; set; }

        public string? DocumentTypeField { get; set; }

        public List<FieldFile?>? Fields { get; set; }
    }

    private sealed class FieldFile
    {
        public string? Name { get; set; }

        public string? Description { get; set; }

        public string? Kind { get; set; }

        public bool? InGraph { get; set; }

        public int? MaxItems { get; set; }

        public List<string>? Values { get; set; }

        public bool? Required { get; set; }

        public List<string>? Vocabulary { get; set; }

        public bool? ExplicitOnly { get; set; }
    }
}
