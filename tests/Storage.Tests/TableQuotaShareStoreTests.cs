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

        clock.Advance(Interval);
        var shares = new List<double>();
        foreach (var worker in workers)
        {
            shares.Add(await worker.HeartbeatAsync(CancellationToken.None));
        }

        Assert.All(shares, s => Assert.Equal(1.0 / 3, s, 9));

        await workers[2].LeaveAsync();
        Assert.Equal(0.5, await workers[0].HeartbeatAsync(CancellationToken.None));

        clock.Advance(Interval * 3);
        Assert.Equal(1.0, await workers[0].HeartbeatAsync(CancellationToken.None));
        var rows = new TableServiceClient(fixture.ConnectionString).GetTableClient(options.Value.Tables.QuotaShares).Query<TableEntity>().ToList();
        Assert.Equal("worker-0", Assert.Single(rows).RowKey);
    }
}
