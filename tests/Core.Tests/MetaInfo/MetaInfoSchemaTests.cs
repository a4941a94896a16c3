using WildLong.Core.Documents;
using WildLong.Core.Model;
using WildLong.Core.MetaInfo;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.MetaInfo;

public class MetaInfoSchemaTests
{
    private static readonly string[] PaperFields =
    [
        "document_type", "task_request", "user_intent", "knowledge_required", "user_profile", "domain", "output_format",
        "constraints", "reasoning_type", "tone_style", "length_requirement", "language", "multi_document_need",
    ];

    [Fact]
    public void Default_schema_has_the_thirteen_fields_of_the_paper()
    {
        var schema = MetaInfoSchema.Default;

        Assert.Equal(PaperFields, schema.Fields.Select(f => f.Name));
        Assert.Equal("document_type", schema.DocumentTypeField);
        Assert.All(schema.Fields, f => Assert.False(string.IsNullOrWhiteSpace(f.Description)));
        Assert.Equal(MetaInfoFieldKind.Boolean, schema.Find("multi_document_need")!.Kind);
        Assert.Equal(MetaInfoFieldKind.StringList, schema.Find("constraints")!.Kind);
        // The document type partitions the graphs and language/boolean fields are no graph nodes.
        Assert.Equal(new[] { "document_type", "language", "multi_document_need" }.Order(), schema.NonGraphFields.Order());
    }

    [Fact]
    public void Default_schema_is_an_embedded_resource_under_the_agreed_name()
    {
        using var stream = typeof(MetaInfoSchema).Assembly.GetManifestResourceStream("WildLong.Defaults.metainfo-schema.default.json");
        Assert.NotNull(stream);
    }

    [Fact]
    public void Json_round_trip_keeps_the_schema_and_its_fingerprint()
    {
        var copy = MetaInfoSchema.ParseJson(MetaInfoSchema.Default.ToJson(), "round trip");

        Assert.Equal(MetaInfoSchema.Default.Fields, copy.Fields, new FieldComparer());
        Assert.Equal(MetaInfoSchema.Default.Fingerprint, copy.Fingerprint);
    }

    [Fact]
    public void Yaml_schema_can_add_drop_and_rename_fields()
    {
        const string yaml = """
            version: "2"
            document_type_field: doc_kind
            fields:
              - name: doc_kind            # renamed from document_type
                kind: string
                description: The kind of document the request refers to.
                required: true
              - name: task
                kind: string_list
                max_items: 2
                description: What the user wants done.
              - name: audience            # new field
                kind: enum
                values: [expert, layperson, child]
                description: Who the answer is for.
              - name: needs_citations     # new boolean, not a graph node by default
                kind: boolean
                description: Whether the user asks for citations.
            """;
        using var dir = TestData.CreateTempDirectory();
        var path = dir.File("schema.yaml");
        File.WriteAllText(path, yaml);

        var schema = MetaInfoSchema.Load(path);

        Assert.Equal(["doc_kind", "task", "audience", "needs_citations"], schema.Fields.Select(f => f.Name));
        Assert.Equal("doc_kind", schema.DocumentTypeField);
        Assert.Equal("2", schema.Version);
        Assert.Equal(2, schema.Find("task")!.EffectiveMaxItems);
        Assert.Equal(["expert", "layperson", "child"], schema.Find("audience")!.Values!);
        Assert.False(schema.Find("needs_citations")!.InGraph);
        Assert.True(schema.Find("audience")!.InGraph);
        Assert.Null(schema.Find("document_type"));
        Assert.NotEqual(MetaInfoSchema.Default.Fingerprint, schema.Fingerprint);

        // The strict schema follows the configuration: renamed field carries the taxonomy enum, dropped ones are gone.
        var strict = StrictSchemaBuilder.Build(schema, DocumentTaxonomy.Default);
        Assert.Empty(StrictSchemaRules.Check(strict));
        var properties = strict.GetProperty("properties");
        Assert.Equal(["refers_to_document", "doc_kind", "task", "audience", "needs_citations"], properties.EnumerateObject().Select(p => p.Name));
        Assert.Equal(DocumentTaxonomy.Default.Names, properties.GetProperty("doc_kind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("""{"fields": [{"name": "document_type", "kind": "string", "description": "d"}, {"name": "document_type", "kind": "string", "description": "d"}]}""", "'document_type' is defined twice")]
    [InlineData("""{"fields": [{"name": "document_type", "kind": "string", "description": "d"}, {"name": "User Intent", "kind": "string", "description": "d"}]}""", "'User Intent' is not snake_case")]
    [InlineData("""{"fields": [{"name": "document_type", "kind": "string", "description": "d"}, {"name": "tone", "kind": "text", "description": "d"}]}""", "unknown kind 'text'")]
    [InlineData("""{"fields": [{"name": "document_type", "kind": "string", "description": "d"}, {"name": "tone", "kind": "enum", "description": "d"}]}""", "enum field 'tone' needs a non-empty 'values' list")]
    [InlineData("""{"fields": [{"name": "task", "kind": "string", "description": "d"}]}""", "document type field 'document_type' is not among the fields")]
    [InlineData("""{"fields": [{"name": "document_type", "kind": "string", "description": "d", "colour": "red"}]}""", "colour")]
    [InlineData("""{"fields": [{"name": "document_type", "kind": "string", "description": "d"}, {"name": "tone", "kind": "string"}]}""", "'tone' has no 'description'")]
    [InlineData("""{"fields": [{"name": "document_type", "kind": "string", "description": "d"}, {"name": "tone", "kind": "string", "description": "d", "max_items": 3}]}""", "'tone' has 'max_items' but is not a string_list")]
    [InlineData("""{"fields": []}""", "non-empty 'fields'")]
    [InlineData("""{"fields": [ """, "invalid schema JSON")]
    public void Bad_json_schema_files_are_rejected_naming_file_and_reason(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => MetaInfoSchema.ParseJson(json, "my-schema.json"));

        Assert.StartsWith("my-schema.json:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_yaml_is_rejected_with_file_and_line()
    {
        const string yaml = """
            fields:
              - name: document_type
                kind: string
                description: d
              - name: tone
                kind: string
                descripton: misspelt key
            """;

        var error = Assert.Throws<FormatException>(() => MetaInfoSchema.ParseYaml(yaml, "schema.yaml"));

        Assert.StartsWith("schema.yaml: invalid schema YAML at line 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_file_extension_is_rejected()
    {
        using var dir = TestData.CreateTempDirectory();
        var path = dir.File("schema.toml");
        File.WriteAllText(path, "x");

        var error = Assert.Throws<FormatException>(() => MetaInfoSchema.Load(path));
        Assert.Contains("unknown schema file type '.toml'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Document_type_may_be_declared_as_an_enum_without_values_as_in_the_readme()
    {
        var schema = MetaInfoSchema.ParseYaml("""
            fields:
              - name: document_type
                kind: enum            # offered as the taxonomy's type names
                description: The kind of document the user brings or refers to.
              - name: task_request
                kind: string
                description: What the user asks to be done with the document, in a short phrase.
            """, "readme.yaml");

        var strict = StrictSchemaBuilder.Build(schema, DocumentTaxonomy.Default);

        Assert.Empty(StrictSchemaRules.Check(strict));
        var offered = strict.GetProperty("properties").GetProperty("document_type").GetProperty("enum").EnumerateArray().Select(e => e.GetString());
        Assert.Equal([.. DocumentTaxonomy.Default.Names, null], offered);
        var error = Assert.Throws<FormatException>(() => MetaInfoSchema.ParseJson(
            """{"fields": [{"name": "document_type", "kind": "enum", "values": ["a"], "description": "d"}]}""", "s.json"));
        Assert.Contains("must not list 'values'", error.Message, StringComparison.Ordinal);
    }

    private sealed class FieldComparer : IEqualityComparer<MetaInfoField>
    {
        public bool Equals(MetaInfoField? x, MetaInfoField? y)
            => x is not null && y is not null && x with { Values = null, Vocabulary = null } == y with { Values = null, Vocabulary = null }
               && (x.Values ?? []).SequenceEqual(y.Values ?? []) && (x.Vocabulary ?? []).SequenceEqual(y.Vocabulary ?? []);

        public int GetHashCode(MetaInfoField obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
