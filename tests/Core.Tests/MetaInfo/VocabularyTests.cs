using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Model;
using WildLong.Core.MetaInfo;
using WildLong.Core.Prompts;
using WildLong.Core.Queries;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.MetaInfo;

/// <summary>Canonical values at two levels: schema vocabularies, {value, detail} answers, details in records, other-values.</summary>
public class VocabularyTests
{
    private static readonly MetaInfoNormalizer Normalizer = new(MetaInfoSchema.Default, DocumentTaxonomy.Default, ValueNormalizer.Default, NullLogger<MetaInfoNormalizer>.Instance);

    private static NearDuplicateMerger Merger(NearDuplicateMergeOptions? options = null)
        => new(Options.Create(options ?? new NearDuplicateMergeOptions()), NullLogger<NearDuplicateMerger>.Instance, embeddings: null, MetaInfoSchema.Default);

    [Fact]
    public void Default_schema_declares_a_vocabulary_for_every_graph_field()
    {
        var schema = MetaInfoSchema.Default;

        foreach (var field in schema.ValueFields.Where(f => f.InGraph && f.Kind != MetaInfoFieldKind.Boolean))
        {
            Assert.True(field.HasVocabulary, field.Name);
            Assert.Contains(field.Vocabulary!, e => e.Length > 0);
        }

        Assert.Contains("debug code", schema.Find("task_request")!.Vocabulary!);
        Assert.Contains("summarize", schema.Find("task_request")!.Vocabulary!);
        Assert.True(schema.Find("output_format")!.ExplicitOnly);
        Assert.False(schema.Find("user_intent")!.ExplicitOnly);
    }

    [Fact]
    public void Vocabularies_survive_a_json_round_trip_and_change_the_fingerprint()
    {
        var copy = MetaInfoSchema.ParseJson(MetaInfoSchema.Default.ToJson(), "round trip");

        Assert.Equal(MetaInfoSchema.Default.Find("domain")!.Vocabulary, copy.Find("domain")!.Vocabulary);
        Assert.Equal(MetaInfoSchema.Default.Fingerprint, copy.Fingerprint);
        Assert.NotEqual(TestSchemas.FreeText.Fingerprint, MetaInfoSchema.Default.Fingerprint);
    }

    [Fact]
    public void Yaml_schema_declares_a_vocabulary()
    {
        const string yaml = """
            fields:
              - name: document_type
                kind: string
                description: The kind of document.
              - name: task_request
                kind: string_list
                max_items: 2
                description: What the user asks.
                vocabulary: [summarize, translate, debug code]
              - name: tone_style
                kind: string
                explicit_only: true
                description: The tone.
            """;

        var schema = MetaInfoSchema.ParseYaml(yaml, "custom.yaml");

        Assert.Equal(["summarize", "translate", "debug code"], schema.Find("task_request")!.Vocabulary);
        Assert.True(schema.Find("tone_style")!.ExplicitOnly);
        Assert.Empty(StrictSchemaRules.Check(StrictSchemaBuilder.Build(schema, DocumentTaxonomy.Default)));
    }

    [Theory]
    [InlineData("\"kind\": \"boolean\", \"vocabulary\": [\"yes\"]", "only string and string_list fields")]
    [InlineData("\"kind\": \"string\", \"vocabulary\": [\"summarize\", \"Summarize\"]", "twice")]
    [InlineData("\"kind\": \"string\", \"vocabulary\": [\"other: misc\"]", "built in")]
    [InlineData("\"kind\": \"string\", \"vocabulary\": [\" padded\"]", "blank vocabulary entry")]
    [InlineData("\"kind\": \"string\", \"vocabulary\": []", "vocabulary entries")]
    public void Bad_vocabularies_are_rejected_with_the_field_named(string field, string expected)
    {
        var json = "{ \"fields\": [ { \"name\": \"document_type\", \"kind\": \"string\", \"description\": \"d\" }, { \"name\": \"task\", \"description\": \"t\", " + field + " } ] }";

        var error = Assert.Throws<FormatException>(() => MetaInfoSchema.ParseJson(json, "bad.json"));

        Assert.Contains("bad.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("'task'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_schema_offers_each_vocabulary_as_an_enum_beside_a_free_string()
    {
        var schema = StrictSchemaBuilder.Build(MetaInfoSchema.Default, DocumentTaxonomy.Default);

        Assert.Empty(StrictSchemaRules.Check(schema));
        var task = schema.GetProperty("properties").GetProperty("task_request");
        var item = task.GetProperty("items");
        Assert.Equal(["value", "detail"], item.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        var branches = item.GetProperty("properties").GetProperty("value").GetProperty("anyOf");
        Assert.Contains("debug code", branches[0].GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.False(branches[1].TryGetProperty("enum", out _));

        // An answer with a vocabulary entry and one with "other: …" are both valid; a bare string is not.
        var answer = JsonNode.Parse(ScriptedMetaInfo.Answer(true, "source_code", ["debug code", "other: write song lyrics"]))!;
        Assert.Empty(JsonSchemaInstanceValidator.Validate(schema, JsonSerializer.SerializeToElement(answer)));
        answer["task_request"] = new JsonArray("debug code");
        Assert.NotEmpty(JsonSchemaInstanceValidator.Validate(schema, JsonSerializer.SerializeToElement(answer)));
    }

    [Fact]
    public async Task Records_keep_the_canonical_value_as_node_and_the_users_words_as_detail()
    {
        var chat = ScriptedChatClient.FromText((_, _) =>
        {
            var answer = JsonNode.Parse(ScriptedMetaInfo.Answer(true, "source_code", []))!.AsObject();
            answer["task_request"] = new JsonArray(
                ScriptedMetaInfo.Value("Debug Code", "fix the KeyError in the loop"),
                ScriptedMetaInfo.Value("other: write song lyrics", null),
                ScriptedMetaInfo.Value("make it rhyme", null));
            answer["user_profile"] = ScriptedMetaInfo.Value("software developer", "python beginner");
            answer["tone_style"] = null;
            return answer.ToJsonString();
        });
        var extractor = new MetaInfoExtractor(TestLlm.Caller(chat, 1), MetaInfoSchema.Default, DocumentTaxonomy.Default, LongContextPreFilter.Default,
            PromptLibrary.Default, Options.Create(new MetaInfoExtractionOptions()), NullLogger<MetaInfoExtractor>.Instance);

        var extracted = Assert.Single((await extractor.ExtractAsync([new UserQuery("q1", "Fix the KeyError in this code:\n```\n" + new string('x', 2_000) + "\n```", "test")], CancellationToken.None)).Extracted);
        var record = Normalizer.Normalize(extracted);

        Assert.Equal(["debug code", "other: write song lyric", "other: make it rhyme"], record.Fields["task_request"]);
        Assert.Equal("fix the KeyError in the loop", record.DetailOf("task_request", "debug code"));
        Assert.Equal("write song lyric", record.DetailOf("task_request", "other: write song lyric"));   // the free text is the detail
        Assert.Equal(["software developer"], record.Fields["user_profile"]);
        Assert.Equal("python beginner", record.DetailOf("user_profile", "software developer"));
        Assert.False(record.Fields.ContainsKey("tone_style"));
    }

    [Fact]
    public void Prompt_lists_the_vocabulary_marks_explicit_fields_and_shows_worked_examples()
    {
        var prompt = PromptLibrary.Default.Get("metainfo-extraction");

        Assert.Equal("metainfo-extraction@2", prompt.Id);
        Assert.Contains("scaling test", prompt.System, StringComparison.Ordinal);
        Assert.Contains("[explicit only]", prompt.System, StringComparison.Ordinal);
        Assert.Contains("Can you edit my language?", prompt.System, StringComparison.Ordinal);
        Assert.DoesNotContain("Never invent values", prompt.System, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recurring_other_values_become_canonical_and_rare_ones_fold_into_other()
    {
        var records = new List<MetaInfoRecord>();
        for (var i = 0; i < 4; i++)
        {
            records.Add(Record($"r{i}", "task_request", "other: write song lyric", "lyrics for my band"));
        }

        records.Add(Record("r5", "task_request", "other: name a cat", "name my cat"));
        records.Add(Record("r6", "task_request", "summarize", "tl;dr the report"));
        records.Add(Record("r7", "task_request", "other: summarize", null));   // a vocabulary entry written as other

        var counts = NearDuplicateMerger.CountValues(records);
        var merger = Merger(new NearDuplicateMergeOptions { MinOtherCount = 3 });
        var map = await merger.BuildAsync(counts, CancellationToken.None);
        var merged = records.Select(map.Apply).ToList();

        Assert.Equal("write song lyric", map.Canonical("task_request", "other: write song lyric"));
        Assert.Equal(MetaInfoField.OtherValue, map.Canonical("task_request", "other: name a cat"));
        Assert.Equal("summarize", map.Canonical("task_request", "other: summarize"));
        Assert.Equal("summarize", map.Canonical("task_request", "summarize"));
        Assert.Equal("name my cat", merged.Single(r => r.QueryId == "r5").DetailOf("task_request", MetaInfoField.OtherValue));

        var top = merger.TopMerges(map, counts)["task_request"];
        Assert.Equal("write song lyric", top[0].Into);
        Assert.Equal(4, top[0].Occurrences);
        Assert.Equal(["other: write song lyric"], top[0].Examples);
        Assert.Equal(3, map.MergedValueCount);
    }

    [Fact]
    public async Task With_min_count_zero_every_free_text_value_is_kept()
    {
        var records = new[] { Record("a", "domain", "other: beekeeping", null), Record("b", "domain", "finance", null) };

        var map = await Merger(new NearDuplicateMergeOptions { MinOtherCount = 0 }).BuildAsync(NearDuplicateMerger.CountValues(records), CancellationToken.None);

        Assert.Equal("beekeeping", map.Canonical("domain", "other: beekeeping"));
        Assert.Equal("finance", map.Canonical("domain", "finance"));
    }

    private static MetaInfoRecord Record(string id, string field, string value, string? detail)
        => new(id, "other", new Dictionary<string, IReadOnlyList<string>> { [field] = [value] })
        {
            Details = detail is null ? null : new Dictionary<string, IReadOnlyDictionary<string, string>> { [field] = new Dictionary<string, string> { [value] = detail } },
        };
}
