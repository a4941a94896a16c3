using Microsoft.Extensions.DependencyInjection;
using PuppeteerSharp;
using WildLong.Core.Embeddings;
using WildLong.Core.Runner;
using WildLong.Core.Reports;
using WildLong.Core.Tests.Runner;
using WildLong.Core.Tests.Support;
using WildLong.Simulator;
using Xunit.Abstractions;

namespace WildLong.Core.Tests.Reports;

/// <summary>
/// The report of a small sample run (the method on the real test sample with the simulator) opened in headless
/// Chromium from the file alone: no console error, no network request, every section and plot drawn, the SIMULATED
/// label large. A screenshot of each section is kept under the test output folder (<c>report-screenshots/</c>).
/// </summary>
public sealed class DatasetReportBrowserTests(ITestOutputHelper output)
{
    /// <summary>Plots the sample run must draw (others may be a note naming why they are missing).</summary>
    private static readonly string[] DrawnPlots =
        ["funnel", "drops", "mix-types", "mix-kinds", "length-mix", "document-reuse", "placement", "graph-figures", "path-lengths", "graph-drawing-1",
         "field-shares", "realism", "evidence-depth", "judge-scores", "tokens"];

    [ChromiumFact]
    public async Task The_sample_runs_report_opens_offline_with_every_section_and_plot_and_no_console_error()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "report-sample");
        var screenshots = Path.Combine(AppContext.BaseDirectory, "report-screenshots");
        Directory.CreateDirectory(screenshots);
        await WriteSampleDatasetAsync(folder);
        Assert.NotNull(Chromium.Path);

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = Chromium.Path,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        await using var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                errors.Add("console: " + e.Message.Text);
            }
        };
        page.PageError += (_, e) => errors.Add("page error: " + e.Message);
        page.Request += (_, e) =>
        {
            if (!e.Request.Url.StartsWith("file:", StringComparison.Ordinal) && !e.Request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                errors.Add("network request (the page must work offline): " + e.Request.Url);
            }
        };
        await page.SetViewportAsync(new ViewPortOptions { Width = 1400, Height = 900 });
        await page.GoToAsync(new Uri(Path.Combine(folder, DatasetReport.HtmlFileName)).AbsoluteUri, WaitUntilNavigation.Load);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('div.plot').length > 0 && [...document.querySelectorAll('div.plot')].every(d => d.querySelector('.main-svg'))",
            new WaitForFunctionOptions { Timeout = 30_000 });

        foreach (var (id, title) in DatasetReportPage.Sections)
        {
            var section = await page.QuerySelectorAsync($"section[data-section='{id}']");
            Assert.True(section is not null, $"section '{id}' ({title}) is missing");
            var heading = await section.QuerySelectorAsync("h2");
            Assert.Equal(title, await heading!.EvaluateFunctionAsync<string>("e => e.textContent"));
            var file = Path.Combine(screenshots, $"{Array.FindIndex(DatasetReportPage.Sections.ToArray(), s => s.Id == id):00}-{id}.png");
            await section.ScreenshotAsync(file);
            Assert.True(new FileInfo(file).Length > 1_000, $"the screenshot of '{id}' is empty");
            output.WriteLine(file);
        }

        var plots = await page.EvaluateExpressionAsync<PlotState[]>(
            "[...document.querySelectorAll('[data-plot]')].map(d => ({ name: d.dataset.plot, drawn: !!d.querySelector('.main-svg'), traces: d.querySelectorAll('.trace, .scatterlayer .trace, .funnellayer .trace').length }))");
        foreach (var name in DrawnPlots)
        {
            var plot = plots.SingleOrDefault(p => p.Name == name);
            Assert.True(plot is not null, $"plot '{name}' is missing");
            Assert.True(plot.Drawn && plot.Traces > 0, $"plot '{name}' was not drawn");
        }

        Assert.All(plots.Where(p => !DrawnPlots.Contains(p.Name)), p => Assert.True(p.Drawn, $"plot '{p.Name}' was not drawn"));
        var label = await page.EvaluateExpressionAsync<double>("parseFloat(getComputedStyle(document.querySelector('[data-simulated]')).fontSize)");
        Assert.True(label >= 32, $"the SIMULATED label is {label}px");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static async Task WriteSampleDatasetAsync(string folder)
    {
        var options = new SimulatorOptions { MetricsLogIntervalSeconds = 0 };
        options.Deployments = [new DeploymentOptions("gpt-4o-mini", 100_000_000, 1_000_000)];
        await using var simulator = await SimulatorServer.StartAsync(options, CancellationToken.None);
        using var services = MethodRunnerEndToEndTests.BuildServices(simulator, pairs: 4);
        var result = await services.GetRequiredService<MethodRunner>().RunAsync(TestData.QueriesJsonl, TestData.DocumentsJsonl, null, CancellationToken.None);
        Assert.NotEmpty(result.Records);
        var extras = new DatasetManifestExtras("gpt-4o-mini", 2502_16684UL, true, null, new Dictionary<string, string?> { ["pairs"] = "4" }, CachedPriceRatio: 0.5);
        // A small embedding sample keeps the test fast; the figures are the same computation at any size.
        await DatasetWriter.WriteAsync(folder, result, extras, new DatasetReportBuilder(MiniLmEmbeddingGenerator.Shared, sampleSize: 40), CancellationToken.None);
    }

    private sealed record PlotState(string Name, bool Drawn, int Traces);
}
