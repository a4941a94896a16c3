using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WildLong.Functions.DependencyInjection;

// App settings arrive as environment variables (WildLong__Storage__BlobServiceUri → WildLong:Storage:BlobServiceUri).
var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddWildLongFunctionsApp(builder.Configuration);

var appInsights = builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
if (!string.IsNullOrWhiteSpace(appInsights))
{
    builder.Services.AddOpenTelemetry()
        .UseFunctionsWorkerDefaults()
        .UseAzureMonitorExporter(options => options.ConnectionString = appInsights);
}

using var host = builder.Build();
await host.RunAsync();
