using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WildLong.Core.Model;
using WildLong.Functions.DependencyInjection;
using WildLong.Functions.Telemetry;

// App settings arrive as environment variables (WildLong__Storage__BlobServiceUri → WildLong:Storage:BlobServiceUri).
var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddWildLongFunctionsApp(builder.Configuration);

// The exporter signs in with the managed identity named by APPLICATIONINSIGHTS_AUTHENTICATION_STRING (as the host
// does): the Application Insights resource refuses instrumentation-key ingestion (infra/modules/monitoring.bicep).
var appInsights = builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
if (!string.IsNullOrWhiteSpace(appInsights))
{
    var authentication = TelemetryAuthentication.Parse(builder.Configuration[TelemetryAuthentication.SettingName]);
    // The model client's meters and spans (calls, tokens, 429s, cache hits per stage; one span per model call).
    builder.Services.AddOpenTelemetry()
        .WithMetrics(metrics => metrics.AddMeter(ModelMetrics.MeterName))
        .WithTracing(tracing => tracing.AddSource(ModelMetrics.MeterName))
        .UseFunctionsWorkerDefaults()
        .UseAzureMonitorExporter(options =>
        {
            options.ConnectionString = appInsights;
            if (authentication is not null)
            {
                options.Credential = authentication.CreateCredential();
            }
        });
}

using var host = builder.Build();
await host.RunAsync();
