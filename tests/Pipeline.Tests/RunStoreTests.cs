using WildLong.Pipeline.Tests.Support;
using WildLong.Storage.Runs;

namespace WildLong.Pipeline.Tests;

/// <summary>RunStore on Azurite: round-trips, replacement on update, newest-first listing, long JSON.</summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class RunStoreTests(AzuriteFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Runs_round_trip_update_in_place_and_list_newest_first()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.RunStore();
        var longJson = "{\"pad\":\"" + string.Concat(Enumerable.Repeat("ab😀", 40_000)) + "\"}"; // 160 K chars: chunked
        var runs = new[]
        {
            new RunRecord("run-1", "Completed", T0, T0.AddHours(1), 100, 2502_16684, "{\"pairs\":100}", "datasets/run-1/", "{\"records\":100}"),
            new RunRecord("run/2 #?", "Running", T0.AddDays(1), T0.AddDays(1), 5, ulong.MaxValue, longJson, "datasets/run-2/"),
            new RunRecord("run-3", "Pending", T0.AddDays(2), T0.AddDays(2), 1, 0, "{}", "datasets/run-3/"),
        };
        foreach (var run in runs)
        {
            await store.UpsertAsync(run, default);
        }

        Assert.Equal(runs[1], await store.GetAsync("run/2 #?", default));
        Assert.Equal(runs.Reverse(), await store.ListAsync(default));
        Assert.Null(await store.GetAsync("run-404", default));

        var done = runs[1] with { Status = "Completed", UpdatedAt = T0.AddDays(3), SummaryJson = longJson, ConfigurationJson = "{}" };
        await store.UpsertAsync(done, default);
        Assert.Equal(done, await store.GetAsync(done.RunId, default));
        Assert.Equal(3, (await store.ListAsync(default)).Count);
    }
}
