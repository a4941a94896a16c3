using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using WildLong.Functions.Http;
using WildLong.Functions.Tests.Support;
using WildLong.Storage.Graphs;

namespace WildLong.Functions.Tests;

/// <summary>GET graphs/{docType} over compacted totals in real tables, and the exporter's three formats.</summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class GraphsApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Graphs_are_exported_as_json_graphml_and_dot_and_unknown_types_are_404()
    {
        using var app = new TestApp(azurite);
        var api = app.Create<GraphsApi>();
        var before = await GetAsync(api, "report", null);
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Contains("none yet", before.BodyText(), StringComparison.Ordinal);

        await GraphFixtures.MergeShardAsync(app, "shard-a", "v1");
        await app.Get<GraphCountStore>().CompactAsync(CancellationToken.None);

        var json = await GetAsync(api, "report", "json");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var dto = JsonDocument.Parse(json.BodyText()).RootElement;
        Assert.Equal("report", dto.GetProperty("document_type").GetString());
        Assert.Equal(3, dto.GetProperty("nodes").GetArrayLength());

        var graphml = await GetAsync(api, "report", "graphml");
        Assert.StartsWith("application/graphml+xml", graphml.Header("Content-Type"), StringComparison.Ordinal);
        var xml = XDocument.Parse(graphml.BodyText());
        XNamespace ns = "http://graphml.graphdrawing.org/xmlns";
        Assert.Equal(3, xml.Descendants(ns + "node").Count());
        var edge = Assert.Single(xml.Descendants(ns + "edge"));
        Assert.Equal("2", edge.Elements(ns + "data").Single(d => (string?)d.Attribute("key") == "d_ecount").Value);
        Assert.Contains(xml.Descendants(ns + "data"), d => d.Value == "finance \"Q4\"");

        var dot = (await GetAsync(api, "report", "DOT")).BodyText();
        Assert.StartsWith("graph \"report\" {", dot, StringComparison.Ordinal);
        Assert.Contains("value=\"finance \\\"Q4\\\"\"", dot, StringComparison.Ordinal);
        Assert.Contains(" -- ", dot, StringComparison.Ordinal);
        Assert.Contains("[count=2]", dot, StringComparison.Ordinal);

        var unknown = await GetAsync(api, "memo", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("known types: report", unknown.BodyText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(api, "report", "png")).StatusCode);
    }

    [Fact]
    public void GraphML_drops_characters_xml_cannot_carry_and_keeps_surrogate_pairs()
    {
        var graph = Core.Graphs.CooccurrenceGraph.FromCounts("t", 1, [new Core.Graphs.GraphNode("f", "a\u0001b😀", 1)], []);
        var xml = XDocument.Parse(GraphExporter.Export(graph, GraphExportFormat.GraphMl));
        Assert.Contains(xml.Descendants(), e => e.Value == "ab😀");
    }

    private static async Task<TestHttpResponse> GetAsync(GraphsApi api, string type, string? format)
    {
        var url = $"https://wildlong.example/api/graphs/{type}" + (format is null ? string.Empty : "?format=" + format);
        return (TestHttpResponse)await api.GetGraphAsync(new TestHttpRequest("GET", url), type, CancellationToken.None);
    }
}
