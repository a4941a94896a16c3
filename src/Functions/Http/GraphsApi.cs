using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using WildLong.Storage.Graphs;

namespace WildLong.Functions.Http;

/// <summary>
/// <c>GET /api/graphs/{docType}?format=json|graphml|dot</c>: one document type's merged co-occurrence graph (the
/// compacted totals) for inspection in standard graph tools.
/// </summary>
public sealed class GraphsApi(GraphCountStore graphs)
{
    [Function("GetGraph")]
    public async Task<HttpResponseData> GetGraphAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "graphs/{docType}")] HttpRequestData request,
        string docType,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var formatName = request.Query["format"];
        if (!GraphExporter.TryParseFormat(formatName, out var format))
        {
            return await ApiJson.ErrorAsync(request, HttpStatusCode.BadRequest, $"unknown format '{formatName}': use json, graphml or dot", cancellationToken);
        }

        Core.Graphs.GraphSet totals;
        try
        {
            totals = await graphs.ReadTotalsAsync(cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            // Compaction under way or interrupted: the next generation (or compaction) repairs it.
            return await ApiJson.ErrorAsync(request, HttpStatusCode.ServiceUnavailable, ex.Message, cancellationToken);
        }

        var graph = totals[docType];
        if (graph is null)
        {
            var known = totals.DocumentTypes.Count == 0 ? "none yet (graphs are compacted when a generation starts)" : string.Join(", ", totals.DocumentTypes);
            return await ApiJson.ErrorAsync(request, HttpStatusCode.NotFound, $"no graph for document type '{docType}'; known types: {known}", cancellationToken);
        }

        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", GraphExporter.ContentType(format));
        await response.WriteStringAsync(GraphExporter.Export(graph, format), cancellationToken);
        return response;
    }
}
