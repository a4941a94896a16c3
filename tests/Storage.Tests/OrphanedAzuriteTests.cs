using System.Diagnostics;
using Azure.Data.Tables;
using WildLong.Development.Azurite;

namespace WildLong.Storage.Tests;

/// <summary>
/// An Azurite whose parent died (a killed CLI) keeps running with nobody reading its output. Stopping it with SIGINT
/// before its data folder is reused must save every acknowledged write: before the launcher ignored closed pipes,
/// Azurite crashed (exit code 1) on its own "closing" message while saving, losing the last seconds of table rows and
/// leaving a durable run whose queued messages pointed at missing history.
/// </summary>
public sealed class OrphanedAzuriteTests
{
    private const int Rows = 300;

    [Fact]
    public async Task An_Azurite_nobody_reads_from_saves_every_write_and_exits_cleanly_on_SIGINT()
    {
        Assert.False(OperatingSystem.IsWindows(), "SIGINT needs a Unix-like system");
        var data = Directory.CreateTempSubdirectory("wildlong-azurite-orphan-").FullName;
        var options = new AzuriteOptions { ReuseRunningInstance = false, DataDirectory = data };
        try
        {
            // A first launch installs Azurite if needed and creates the data folder's databases.
            await (await AzuriteLauncher.StartAsync(options, null, CancellationToken.None)).DisposeAsync();
            var tools = AzuriteLauncher.ResolveToolDirectory(options);
            using var orphan = Process.Start(AzuriteLauncher.CreateStartInfo(options, AzuriteLauncher.ResolveAzuriteScript(tools), tools, data))!;
            var table = await TableEndpointAsync(orphan);
            orphan.StandardOutput.Close();
            orphan.StandardError.Close();

            var rows = TableClientAt(table);
            await rows.CreateIfNotExistsAsync();
            for (var batch = 0; batch < Rows / 100; batch++)
            {
                await rows.SubmitTransactionAsync(Enumerable.Range(batch * 100, 100)
                    .Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("orphan", i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)) { ["Payload"] = new string('x', 2_000) })));
            }

            Assert.True(await AzuriteLauncher.StopSavingAsync(orphan), "Azurite did not stop on SIGINT");
            Assert.Equal(0, orphan.ExitCode);

            await using var reopened = await AzuriteLauncher.StartAsync(options, null, CancellationToken.None);
            var saved = 0;
            await foreach (var _ in TableClientAt(reopened.TableEndpoint).QueryAsync<TableEntity>(e => e.PartitionKey == "orphan", select: ["RowKey"]))
            {
                saved++;
            }

            Assert.Equal(Rows, saved);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static TableClient TableClientAt(Uri endpoint)
        => new(endpoint, "orphan", new TableSharedKeyCredential(AzuriteLauncher.AccountName, AzuriteLauncher.AccountKey));

    /// <summary>Reads Azurite's start-up output until its table service listens (its last line), then stops reading.</summary>
    private static async Task<Uri> TableEndpointAsync(Process azurite)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await azurite.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = AzuriteLauncher.ListeningLine().Match(line);
            if (match.Success && match.Groups["service"].Value == "Table")
            {
                return new Uri(new Uri(match.Groups["url"].Value), AzuriteLauncher.AccountName);
            }
        }

        throw new InvalidOperationException("Azurite exited before its table service listened: " + await azurite.StandardError.ReadToEndAsync());
    }
}
