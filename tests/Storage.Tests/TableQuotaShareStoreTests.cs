using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WildLong.Llm.Quota;
using WildLong.Storage.Quota;
using WildLong.Storage.Tests.Support;

namespace WildLong.Storage.Tests;

/// <summary>
/// The quota pool in Table Storage against real Azurite: three coordinators, each with its own store client as
/// three processes would have, split the deployment's quota; one leaves, one dies (its row is removed), and the shares follow.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableQuotaShareStoreTests(AzuriteFixture fixture)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Workers_in_other_processes_split_a_deployments_quota_through_the_table()
    {
        var options = Options.Create(new StorageOptions { Tables = new StorageTableNames { QuotaShares = AzuriteFixture.UniqueName("quota") } });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var workers = Enumerable.Range(0, 3)
            .Select(i => new QuotaShareCoordinator(
                new QuotaLimiter(new QuotaSettings(60_000, 600), clock),
                new TableQuotaShareStore(new TableServiceClient(fixture.ConnectionString), options),
                "deployment-pool", Interval, clock, member: $"worker-{i}"))
            .ToList();

        foreach (var worker in workers)
        {
            await worker.HeartbeatAsync(CancellationToken.None);
        }

        // They start at a token share and settle at a third each, growing only into what the others no longer claim.
        for (var round = 0; round < 4; round++)
        {
            clock.Advance(Interval);
            foreach (var worker in workers)
            {
                await worker.HeartbeatAsync(CancellationToken.None);
                Assert.True(workers.Sum(w => w.Limiter.Share) <= 1 + 1e-9);
            }
        }

        Assert.All(workers, w => Assert.Equal(1.0 / 3, w.Limiter.Share, 9));

        await workers[2].LeaveAsync();
        for (var round = 0; round < 3; round++)
        {
            clock.Advance(Interval);
            await workers[0].HeartbeatAsync(CancellationToken.None);
            await workers[1].HeartbeatAsync(CancellationToken.None);
        }

        Assert.Equal(0.5, workers[0].Limiter.Share, 9);

        clock.Advance(workers[0].Expiry);
        Assert.Equal(1.0, await workers[0].HeartbeatAsync(CancellationToken.None));
        var rows = new TableServiceClient(fixture.ConnectionString).GetTableClient(options.Value.Tables.QuotaShares).Query<TableEntity>().ToList();
        Assert.Equal("worker-0", Assert.Single(rows).RowKey);
    }

    [Fact]
    public async Task A_members_claim_demand_long_call_need_unit_and_next_call_round_trip_through_the_table()
    {
        var options = Options.Create(new StorageOptions { Tables = new StorageTableNames { QuotaShares = AzuriteFixture.UniqueName("quota") } });
        var store = new TableQuotaShareStore(new TableServiceClient(fixture.ConnectionString), options);
        var now = new DateTimeOffset(2026, 12, 2, 16, 0, 0, TimeSpan.Zero);
        var waiting = new QuotaShareMember("worker-a", now) { Claim = 0.3, Demand = 0.9, Need = 0.8, NeedSince = now.AddSeconds(-12), Unit = 0.13, Next = 0.16 };
        var idle = new QuotaShareMember("worker-b", now) { Claim = 0.05, Demand = 0.01 };

        await store.HeartbeatAsync("pool", waiting, CancellationToken.None);
        await store.UpdateAsync("pool", waiting with { Claim = 0.6 }, CancellationToken.None);
        var members = await store.HeartbeatAsync("pool", idle, CancellationToken.None);

        Assert.Equal([waiting with { Claim = 0.6 }, idle], members.OrderBy(m => m.Member, StringComparer.Ordinal));
    }
}
