using System.ClientModel;
using System.Net.Sockets;
using Polly.Timeout;

namespace WildLong.Llm.Resilience;

/// <summary>
/// Which failures of a model call are worth another attempt: throttling (429), request timeout (408), server errors
/// (5xx), dropped connections and timed-out attempts. A response body that does not parse gets
/// <see cref="MalformedBodyRetries"/> more attempts: a body cut off in transit (a proxy, a dropped connection after the
/// headers) parses on the next attempt, while an endpoint that never answers JSON fails after three attempts instead
/// of the full retry budget. Everything else — a wrong key (401), a missing deployment (404), a bad request (400) —
/// fails at once with its reason, because repeating it only burns quota and time.
/// </summary>
public static class TransientFailures
{
    /// <summary>Retries of an attempt whose 200 body did not parse (each such attempt was charged).</summary>
    public const int MalformedBodyRetries = 2;

    /// <summary>
    /// Whether an attempt that ended in <paramref name="exception"/> is retried; <paramref name="malformedBodies"/> counts
    /// the call's attempts so far whose body did not parse, this one included (other failures before do not use up
    /// the malformed-body retries).
    /// </summary>
    public static bool ShouldRetry(Exception? exception, int malformedBodies, CancellationToken callerToken)
        => exception is MalformedModelResponseException ? malformedBodies <= MalformedBodyRetries : IsTransient(exception, callerToken);

    public static bool IsTransient(Exception? exception, CancellationToken callerToken)
        => exception switch
        {
            null => false,
            ClientResultException { Status: 408 or 429 or >= 500 } => true,
            ClientResultException { Status: 0 } c => IsNetworkFailure(c.InnerException),
            TimeoutRejectedException => true,
            OperationCanceledException => !callerToken.IsCancellationRequested,
            HttpRequestException or IOException or SocketException => true,
            _ => false,
        };

    /// <summary>A throttled answer (HTTP 429).</summary>
    public static bool IsThrottled(Exception? exception) => exception is ClientResultException { Status: 429 };

    private static bool IsNetworkFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException)
            {
                return true;
            }
        }

        return false;
    }
}
