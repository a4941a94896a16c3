using System.Globalization;

namespace WildLong.Llm.Tests.Support;

/// <summary>
/// The bottom of the HTTP transport in tests: records when each request left and what came back, on the clock it is
/// given (the harness's fake clock, when a test moves time itself), and how many requests are on the wire now.
/// </summary>
public sealed class RecordingHandler : DelegatingHandler
{
    private readonly Lock gate = new();
    private readonly List<Exchange> exchanges = [];
    private readonly TimeProvider time;
    private int inFlight;

    public RecordingHandler(TimeProvider? time = null)
        : base(new SocketsHttpHandler())
        => this.time = time ?? TimeProvider.System;

    /// <summary>The clock of <see cref="Exchange.SentAt"/> and <see cref="Exchange.ReceivedAt"/> (use its <c>GetElapsedTime</c>).</summary>
    public TimeProvider Time => time;

    /// <summary>Requests sent and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

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
        Interlocked.Increment(ref inFlight);
        var sent = time.GetTimestamp();
        var uri = request.RequestUri!.PathAndQuery;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            var received = time.GetTimestamp();
            var retryAfterMs = response.Headers.TryGetValues("retry-after-ms", out var values)
                ? double.Parse(values.First(), CultureInfo.InvariantCulture)
                : (double?)null;
            Add(new Exchange(uri, sent, received, (int)response.StatusCode, retryAfterMs, null));
            return response;
        }
        catch (Exception ex)
        {
            Add(new Exchange(uri, sent, time.GetTimestamp(), 0, null, ex.GetType().Name));
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private void Add(Exchange exchange)
    {
        lock (gate)
        {
            exchanges.Add(exchange);
        }
    }

    /// <summary>One request on the wire; timestamps are <see cref="Time"/>'s.</summary>
    public sealed record Exchange(string PathAndQuery, long SentAt, long ReceivedAt, int Status, double? RetryAfterMs, string? Error);
}
