using WildLong.Core.Documents;

namespace WildLong.Core.Tests.Documents;

public class LengthBucketsTests
{
    [Theory]
    [InlineData(4095, null)]
    [InlineData(4096, "4k-8k")]
    [InlineData(8191, "4k-8k")]
    [InlineData(8192, "8k-16k")]
    [InlineData(20000, "16k-32k")]
    [InlineData(32768, "32k-64k")]
    [InlineData(131071, "64k-128k")]
    [InlineData(131072, null)]
    public void Default_buckets_are_half_open_powers_of_two(int tokens, string? expected)
    {
        Assert.Equal(expected, LengthBuckets.Default.Resolve(tokens, out var reason));
        Assert.Equal(expected is null, reason is not null);
    }

    [Fact]
    public void Reasons_say_which_side_and_the_token_count()
    {
        LengthBuckets.Default.Resolve(1234, out var shortReason);
        LengthBuckets.Default.Resolve(200_000, out var longReason);

        Assert.Contains("too short", shortReason, StringComparison.Ordinal);
        Assert.Contains("1234 tokens", shortReason, StringComparison.Ordinal);
        Assert.Contains("too long", longReason, StringComparison.Ordinal);
        Assert.Contains("200000 tokens", longReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Real_documents_land_in_the_bucket_that_contains_their_token_count()
    {
        var documents = await DocumentTestData.RealDocumentsAsync();
        var usable = 0;
        foreach (var document in documents)
        {
            var tokens = TokenCounter.Shared.Count(document.Text);
            var label = LengthBuckets.Default.Resolve(tokens, out var reason);
            if (tokens < 4096)
            {
                Assert.Null(label);
                Assert.Contains($"{tokens} tokens", reason, StringComparison.Ordinal);
                continue;
            }

            usable++;
            var bucket = Assert.Single(LengthBuckets.DefaultDefinitions, b => b.Label == label);
            Assert.InRange(tokens, bucket.MinTokens, bucket.MaxTokens - 1);
        }

        // The sample's documents are 12K-55K characters, so most of them are at least 4096 tokens long.
        Assert.InRange(usable, documents.Count / 2, documents.Count);
    }

    [Fact]
    public void Configured_buckets_replace_the_defaults_and_gaps_are_explained()
    {
        var options = new DocumentOptions
        {
            LengthBuckets = [new("short", 100, 200), new("long", 500, 1000)],
        };
        var buckets = options.CreateLengthBuckets();

        Assert.Equal("short", buckets.Resolve(150, out _));
        Assert.Null(buckets.Resolve(300, out var gap));
        Assert.Contains("between", gap, StringComparison.Ordinal);
        Assert.Equal("long", buckets.Resolve(999, out _));
        Assert.Same(LengthBuckets.Default, new DocumentOptions().CreateLengthBuckets());
    }

    [Fact]
    public void Invalid_configuration_fails_fast()
    {
        Assert.Throws<ArgumentException>(() => new LengthBuckets([new("a", 0, 100), new("b", 50, 200)]));
        Assert.Throws<ArgumentException>(() => new LengthBuckets([new("a", 100, 100)]));
        Assert.Throws<ArgumentException>(() => new LengthBuckets([new("a", 0, 10), new("a", 10, 20)]));
        Assert.Throws<ArgumentException>(() => new LengthBuckets([]));
    }
}
