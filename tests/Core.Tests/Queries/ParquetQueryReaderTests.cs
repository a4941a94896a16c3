using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using WildLong.Core.Queries;
using WildLong.Core.Tests.Support;
using static WildLong.Core.Tests.Queries.InputFixtures;

namespace WildLong.Core.Tests.Queries;

public class ParquetQueryReaderTests
{
    private static ParquetQueryReader Reader() => new(Options.Create(new QueryReaderOptions()));

    private static List<(string Id, string Text)> RealQueries(int count)
        => [.. File.ReadLines(TestData.QueriesJsonl).Take(count)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (e.GetProperty("id").GetString()!, e.GetProperty("text").GetString()!))];

    [Fact]
    public async Task Reads_WildChat_shards_row_group_by_row_group()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("train-00000-of-00001.parquet");
        var real = RealQueries(25);
        var rows = real.Select(q => new WildChatRow
        {
            ConversationHash = "hash-" + q.Id,
            Language = "English",
            Conversation =
            [
                new WildChatTurn { Role = "user", Content = q.Text, Toxic = false, TurnIdentifier = 1 },
                new WildChatTurn { Role = "assistant", Content = "answer", Toxic = false, TurnIdentifier = 1 },
                new WildChatTurn { Role = "user", Content = "follow-up", Toxic = false, TurnIdentifier = 2 },
            ],
        }).ToList();
        await ParquetSerializer.SerializeAsync(rows, path, new ParquetOptions { RowGroupSize = 10 });

        var (ok, errors) = await SplitAsync(Reader().ReadAsync(path));

        Assert.Empty(errors);
        Assert.Equal(real.Select(q => "hash-" + q.Id), ok.Select(q => q.Id));
        Assert.Equal(real.Select(q => q.Text), ok.Select(q => q.Text));
        Assert.All(ok, q => Assert.Equal("wildchat", q.Source));
        Assert.All(ok, q => Assert.Equal("English", q.Language));
        Assert.Equal($"{path}:25", ok[^1].Origin);
        await using var check = await ParquetReader.CreateAsync(path);
        Assert.Equal(3, check.RowGroupCount);
    }

    [Fact]
    public async Task WildChat_rows_without_a_usable_user_turn_are_quarantined_by_row_number()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("wildchat.parquet");
        WildChatTurn Turn(string? role, string? content) => new() { Role = role, Content = content };
        var rows = new List<WildChatRow>
        {
            new() { ConversationHash = "h1", Conversation = [Turn("assistant", "hello"), Turn("user", "first user turn"), Turn("user", "later")] },
            new() { ConversationHash = "h2", Conversation = [Turn("assistant", "only the assistant")] },
            new() { ConversationHash = "h3", Conversation = [] },
            new() { ConversationHash = "h4", Conversation = null },
            new() { ConversationHash = "h5", Conversation = [Turn("user", null), Turn("user", "second")] },
            new() { ConversationHash = "h6", Conversation = [Turn(null, "no role"), Turn("user", "  ")] },
            new() { ConversationHash = null, Conversation = [Turn("user", "no hash")] },
        };
        await ParquetSerializer.SerializeAsync(rows, path, new ParquetOptions { RowGroupSize = 3 });

        var (ok, errors) = await SplitAsync(Reader().ReadAsync(path));

        Assert.Equal([("h1", "first user turn"), ("wildchat.parquet:7", "no hash")], ok.Select(q => (q.Id, q.Text)));
        Assert.Equal([2L, 3, 4, 5, 6], errors.Select(e => e.Line));
        Assert.Equal(["h2", "h3", "h4", "h5", "h6"], errors.Select(e => e.ItemId));
        Assert.Contains("no user turn", errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("no user turn", errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("no user turn", errors[2].Reason, StringComparison.Ordinal);
        Assert.Contains("no content", errors[3].Reason, StringComparison.Ordinal);
        Assert.Contains("empty", errors[4].Reason, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.Equal("read-queries", e.Stage));
    }

    [Fact]
    public async Task Reads_flat_text_files_with_ids_and_nulls()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("flat.parquet");
        var rows = new List<FlatRow>
        {
            new() { Id = "q1", Text = "what is a lease?", Source = "arena" },
            new() { Id = "q2", Text = null },
            new() { Id = null, Text = "no id here" },
        };
        await ParquetSerializer.SerializeAsync(rows, path);

        var (ok, errors) = await SplitAsync(Reader().ReadAsync(path));

        Assert.Equal([("q1", "what is a lease?", "arena"), ("flat.parquet:3", "no id here", "flat")], ok.Select(q => (q.Id, q.Text, q.Source)));
        var error = Assert.Single(errors);
        Assert.Equal(2, error.Line);
        Assert.Equal("q2", error.ItemId);
        Assert.Contains("'text' is null", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_a_required_prompt_column_with_integer_ids()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("wildchat_clean.parquet");
        var schema = new ParquetSchema(new DataField<long>("id"), new DataField<string>("prompt", false));
        var real = RealQueries(5);
        var data = real.Select((q, i) => (IDictionary<string, object?>)new Dictionary<string, object?> { ["id"] = (long)(i + 100), ["prompt"] = q.Text }).ToList();
        await using (var stream = File.Create(path))
        {
            await ParquetSerializer.SerializeUntypedAsync(data, schema, stream);
        }

        var (ok, errors) = await SplitAsync(Reader().ReadAsync(path));

        Assert.Empty(errors);
        Assert.Equal(["100", "101", "102", "103", "104"], ok.Select(q => q.Id));
        Assert.Equal(real.Select(q => q.Text), ok.Select(q => q.Text));
    }

    [Fact]
    public async Task A_file_with_another_schema_is_one_clear_error()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("other.parquet");
        await ParquetSerializer.SerializeAsync(new List<OtherRow> { new() { Question = "q", Score = 1 }, new() { Question = "r", Score = 2 } }, path);

        var results = await ToListAsync(Reader().ReadAsync(path));

        var error = Assert.Single(results).Error;
        Assert.NotNull(error);
        Assert.Equal(path, error.Source);
        Assert.Contains("missing column", error.Reason, StringComparison.Ordinal);
        Assert.Contains("'text'", error.Reason, StringComparison.Ordinal);
        Assert.Contains("question (string)", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mismatched_column_type_is_one_clear_error()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("mismatch.parquet");
        var schema = new ParquetSchema(new DataField<int>("text"), new DataField<double>("language"));
        var data = new List<IDictionary<string, object?>> { new Dictionary<string, object?> { ["text"] = 5, ["language"] = 1.0 } };
        await using (var stream = File.Create(path))
        {
            await ParquetSerializer.SerializeUntypedAsync(data, schema, stream);
        }

        var results = await ToListAsync(Reader().ReadAsync(path));

        var error = Assert.Single(results).Error;
        Assert.NotNull(error);
        Assert.Contains("column 'text' must be a string, found Int32", error.Reason, StringComparison.Ordinal);
        Assert.Contains("column 'language' must be a string, found Double", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conversation_column_of_the_wrong_shape_is_one_clear_error()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("bad-conversation.parquet");
        await ParquetSerializer.SerializeAsync(new List<BadConversationRow> { new() { Conversation = ["a", "b"] } }, path);

        var error = Assert.Single(await ToListAsync(Reader().ReadAsync(path))).Error;

        Assert.NotNull(error);
        Assert.Contains("'conversation' must be a list of structs", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_file_is_one_clear_error()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("corrupt.parquet");
        await File.WriteAllTextAsync(path, "PAR1 this is not really parquet PAR1");

        var error = Assert.Single(await ToListAsync(Reader().ReadAsync(path))).Error;

        Assert.NotNull(error);
        Assert.Equal(path, error.Source);
        Assert.Contains("not a readable Parquet file", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_file_is_one_clear_error()
    {
        using var temp = TestData.CreateTempDirectory();
        var good = temp.File("good.parquet");
        await ParquetSerializer.SerializeAsync(new List<FlatRow> { new() { Id = "a", Text = "hello" } }, good);
        var bytes = await File.ReadAllBytesAsync(good);
        var path = temp.File("truncated.parquet");
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Single(await ToListAsync(Reader().ReadAsync(path))).Error;

        Assert.NotNull(error);
        Assert.Contains("not a readable Parquet file", error.Reason, StringComparison.Ordinal);
    }

    public sealed class WildChatTurn
    {
        [JsonPropertyName("content")]
        public string? Content { get; set; }

        [JsonPropertyName("role")]
        public string? Role { get; set; }

        [JsonPropertyName("toxic")]
        public bool? Toxic { get; set; }

        [JsonPropertyName("turn_identifier")]
        public long? TurnIdentifier { get; set; }
    }

    public sealed class WildChatRow
    {
        [JsonPropertyName("conversation_hash")]
        public string? ConversationHash { get; set; }

        [JsonPropertyName("model")]
        public string? Model { get; set; } = "gpt-4-0314";

        [JsonPropertyName("conversation")]
        public List<WildChatTurn>? Conversation { get; set; }

        [JsonPropertyName("turn")]
        public long Turn { get; set; } = 1;

        [JsonPropertyName("language")]
        public string? Language { get; set; }
    }

    public sealed class FlatRow
    {
        [JsonPropertyName("id")]
        public string? Id { get; set; }

        [JsonPropertyName("text")]
        public string? Text { get; set; }

        [JsonPropertyName("source")]
        public string? Source { get; set; }
    }

    public sealed class OtherRow
    {
        [JsonPropertyName("question")]
        public string? Question { get; set; }

        [JsonPropertyName("score")]
        public int Score { get; set; }
    }

    public sealed class BadConversationRow
    {
        [JsonPropertyName("conversation")]
        public List<string>? Conversation { get; set; }
    }
}
