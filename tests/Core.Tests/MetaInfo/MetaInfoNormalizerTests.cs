using Microsoft.Extensions.Logging.Abstractions;
using WildLong.Core.Documents;
using WildLong.Core.MetaInfo;

namespace WildLong.Core.Tests.MetaInfo;

public class MetaInfoNormalizerTests
{
    // Free-text values (no vocabularies): canonical forms alone; vocabularies are tested in VocabularyTests.
    private static readonly MetaInfoNormalizer Normalizer = new(TestSchemas.FreeText, DocumentTaxonomy.Default, ValueNormalizer.Default, NullLogger<MetaInfoNormalizer>.Instance);

    private static ExtractedMetaInfo Extracted(string id, Dictionary<string, IReadOnlyList<string>> fields, string documentType = "scientific_paper")
        => new(id, documentType, documentType, fields, "metainfo-extraction@1", TestSchemas.FreeText.Fingerprint, false, 1);

    [Fact]
    public async Task Values_are_canonicalized_deduplicated_and_empty_ones_dropped()
    {
        var batch = new[]
        {
            Extracted("q1", new()
            {
                ["task_request"] = ["Summarize the Findings", "summarize the findings.", "List Limitations"],
                ["domain"] = ["Computer Science"],
                ["user_profile"] = ["N/A"],
                ["constraints"] = ["  ", "under 200 words"],
                ["multi_document_need"] = ["false"],
                ["language"] = ["English"],
                ["not_in_schema"] = ["dropped"],
            }),
        };

        var result = await Normalizer.NormalizeAsync(batch, CancellationToken.None);

        var record = Assert.Single(result.Items);
        Assert.Equal("q1", record.QueryId);
        Assert.Equal("scientific_paper", record.DocumentType);
        Assert.Equal(["summarize the finding", "list limitation"], record.Fields["task_request"]);
        Assert.Equal(["computer science"], record.Fields["domain"]);
        Assert.Equal(["under 200 words"], record.Fields["constraints"]);
        Assert.Equal(["false"], record.Fields["multi_document_need"]);
        Assert.False(record.Fields.ContainsKey("user_profile"));
        Assert.False(record.Fields.ContainsKey("not_in_schema"));
        Assert.False(record.Fields.ContainsKey("document_type"));
        Assert.Empty(result.Quarantined);
    }

    [Fact]
    public async Task Free_text_document_types_are_resolved_into_the_taxonomy()
    {
        var record = Assert.Single((await Normalizer.NormalizeAsync(
            [Extracted("q1", new() { ["domain"] = ["law"] }, documentType: "Employment Contracts")], CancellationToken.None)).Items);

        Assert.Equal("legal_contract", record.DocumentType);
    }

    [Fact]
    public async Task A_record_without_any_graph_value_is_quarantined_and_the_rest_kept()
    {
        var batch = new[]
        {
            Extracted("empty", new() { ["language"] = ["English"], ["domain"] = ["unknown"] }),
            Extracted("good", new() { ["domain"] = ["finance"] }),
        };

        var result = await Normalizer.NormalizeAsync(batch, CancellationToken.None);

        Assert.Equal("good", Assert.Single(result.Items).QueryId);
        var entry = Assert.Single(result.Quarantined);
        Assert.Equal("empty", entry.ItemId);
        Assert.Equal(StageNames.MetaInfoNormalization, entry.Stage);
    }

    [Fact]
    public async Task Enum_values_are_kept_verbatim_and_unknown_ones_dropped()
    {
        var schema = MetaInfoSchema.ParseYaml("""
            fields:
              - { name: document_type, kind: string, description: d }
              - { name: audience, kind: enum, values: [Expert, Layperson], description: d }
              - { name: topic, kind: string, description: d }
            """, "s.yaml");
        var normalizer = new MetaInfoNormalizer(schema, DocumentTaxonomy.Default, ValueNormalizer.Default, NullLogger<MetaInfoNormalizer>.Instance);

        var result = await normalizer.NormalizeAsync(
            [Extracted("a", new() { ["audience"] = ["Expert"], ["topic"] = ["x"] }), Extracted("b", new() { ["audience"] = ["Child"], ["topic"] = ["y"] })],
            CancellationToken.None);

        Assert.Equal(["Expert"], result.Items[0].Fields["audience"]);
        Assert.False(result.Items[1].Fields.ContainsKey("audience"));
    }
}
