using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Core.DependencyInjection;
using WildLong.Core.Runner;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Runner;

public sealed class RunEstimatorTests
{
    [Fact]
    public async Task The_dry_run_counts_calls_from_the_inputs_and_never_calls_the_model()
    {
        var chat = ScriptedChatClient.FromText((_, _) => throw new InvalidOperationException("a dry run must not call the model"));
        using var services = Services(chat, pairs: 40);

        var estimate = await services.GetRequiredService<RunEstimator>().EstimateAsync(TestData.QueriesJsonl, TestData.DocumentsJsonl, CancellationToken.None);

        Assert.Empty(chat.Requests);
        Assert.Equal(200, estimate.QueriesRead);
        Assert.InRange(estimate.QueriesKeptByPreFilter, 1, 199);
        Assert.Equal(estimate.QueriesKeptByPreFilter, estimate.Usage[StageNames.MetaInfoExtraction].Calls);
        Assert.Equal(60, estimate.PlannedPairs);
        Assert.Equal(60, estimate.Usage[StageNames.InstructionWriting].Calls);
        Assert.Equal(0, estimate.DocumentsToClassify);
        Assert.False(estimate.Usage.ContainsKey("classify-documents"));
        foreach (var stage in new[] { StageNames.InstructionAdaptation, StageNames.ResponseGeneration, StageNames.QualityJudge })
        {
            var u = estimate.Usage[stage];
            Assert.Equal(60, u.Calls);
            Assert.True(u.InputTokens > 60 * estimate.MeanDocumentTokens, stage);
            Assert.InRange(u.CachedInputTokens, 1, u.InputTokens - 1);
        }

        // The plan counts round 1 only; it says what would make a run plan more.
        Assert.Contains(estimate.Assumptions, a => a.Contains("1.5x pairs are planned", StringComparison.Ordinal)
            && a.Contains("more than 33", StringComparison.Ordinal) && a.Contains("later rounds (up to 4)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task More_pairs_cost_more_and_a_larger_share_is_cached()
    {
        var chat = ScriptedChatClient.Sequence();
        using var few = Services(chat, pairs: 10);
        using var many = Services(chat, pairs: 200);

        var small = await few.GetRequiredService<RunEstimator>().EstimateAsync(TestData.QueriesJsonl, TestData.DocumentsJsonl, CancellationToken.None);
        var large = await many.GetRequiredService<RunEstimator>().EstimateAsync(TestData.QueriesJsonl, TestData.DocumentsJsonl, CancellationToken.None);

        var a = small.Usage[StageNames.ResponseGeneration];
        var b = large.Usage[StageNames.ResponseGeneration];
        Assert.True(b.InputTokens > 10 * a.InputTokens);
        Assert.True((double)b.CachedInputTokens / b.InputTokens > (double)a.CachedInputTokens / a.InputTokens);
    }

    private static ServiceProvider Services(IChatClient chat, int pairs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WildLong:Run:Pairs"] = pairs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        return new ServiceCollection().AddLogging().AddSingleton(chat).AddWildLongMethod(configuration).BuildServiceProvider();
    }
}
