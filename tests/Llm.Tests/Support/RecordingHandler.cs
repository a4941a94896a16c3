using System.Diagnostics;
using System.Globalization;

namespace WildLong.Llm.Tests.Support;

/// <summary>The bottom of the HTTP transport in tests: records when each request left and what came back.</summary>
public sealed class RecordingHandler : DelegatingHandler
{
    private readonly Lock gate = new();
    private readonly List<Exchange> exchanges = [];

    public RecordingHandler()
        : base(new SocketsHttpHandler())
    {
    }

    public IReadOnlyList<Exchange> Exchanges
    {
        get
        {
            lock (gate)
            {
                return [.. exchanges];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = Stopwatch.GetTimestamp();
        var uri = request.RequestUri!.PathAndQuery;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            var received = Stopwatch.GetTimestamp();
            var retryAfterMs = response.Headers.TryGetValues("retry-after-ms", out var values)
                ? double.Parse(values.First(), CultureInfo.InvariantCulture)
                : (double?)null;
            Add(new Exchange(uri, sent, received, (int)response.StatusCode, retryAfterMs, null));
            return response;
        }
        catch (Exception ex)
        {
            Add(new Exchange(uri, sent, Stopwatch.GetTimestamp(), 0, null, ex.GetType().Name));
            throw;
        }
    }

    private void Add(Exchange exchange)
    {
        lock (gate)
        {
            exchanges.Add(exchange);
        }
    }

    /// <summary>One request on the wire; timestamps are <see cref="Stopwatch"/> ticks.</summary>
    public sealed record Exchange(string PathAndQuery, long SentAt, long ReceivedAt, int Status, double? RetryAfterMs, string? Error);
}
