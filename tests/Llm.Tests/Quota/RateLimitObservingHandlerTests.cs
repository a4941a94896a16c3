using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using WildLong.Llm.Quota;
using static WildLong.Llm.Tests.Support.QuotaWaits;

namespace WildLong.Llm.Tests.Quota;

/// <summary>
/// When the handler says a request left: the charge's window starts when the body's last byte is written, not when
/// the request is handed to the transport (which may first connect, or run the serializer for the first time).
/// </summary>
public sealed class RateLimitObservingHandlerTests
{
    private static readonly TimeSpan Margin = new QuotaSettings(1, 1).WindowMargin;

    [Fact]
    public async Task A_request_whose_body_is_written_late_holds_the_window_from_when_it_was_written()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(new QuotaSettings(60_000, 120) { Headroom = 0 }, clock);
        var transport = new SlowTransport(clock, connecting: TimeSpan.FromMilliseconds(800));
        using var client = new HttpMessageInvoker(new RateLimitObservingHandler(limiter, clock) { InnerHandler = transport });
        var start = clock.GetUtcNow();

        var lease = await limiter.AcquireAsync(10_000, CancellationToken.None);
        using (lease.Activate())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "http://model.test/chat") { Content = new StringContent("{\"prompt\":\"héllo\"}", Encoding.UTF8, "application/json") };
            using var response = await client.SendAsync(request, CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        lease.Dispose();
        Assert.Equal(start + TimeSpan.FromMilliseconds(800), lease.SentAt);
        Assert.Equal("{\"prompt\":\"héllo\"}", transport.Body);
        Assert.Equal("application/json", transport.ContentType?.MediaType);
        Assert.Equal(Encoding.UTF8.GetByteCount("{\"prompt\":\"héllo\"}"), transport.ContentLength);

        // The window is full until 10 s (and the margin) after the body was written: 800 ms later than the hand-over.
        var next = limiter.AcquireAsync(100, CancellationToken.None);
        (await AdmittedExactlyAfterAsync(limiter, clock, next, TimeSpan.FromSeconds(10) + Margin)).Dispose();
    }

    [Fact]
    public async Task A_request_without_a_lease_is_passed_on_unchanged()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(new QuotaSettings(60_000, 120), clock);
        var transport = new SlowTransport(clock, connecting: TimeSpan.Zero);
        using var client = new HttpMessageInvoker(new RateLimitObservingHandler(limiter, clock) { InnerHandler = transport });
        using var content = new StringContent("{}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://model.test/chat") { Content = content };

        using var response = await client.SendAsync(request, CancellationToken.None);

        Assert.Same(content, transport.Content);
    }

    /// <summary>A transport that takes <c>connecting</c> (on the fake clock) before it writes the body.</summary>
    private sealed class SlowTransport(FakeTimeProvider clock, TimeSpan connecting) : HttpMessageHandler
    {
        public string? Body { get; private set; }

        public HttpContent? Content { get; private set; }

        public MediaTypeHeaderValue? ContentType { get; private set; }

        public long? ContentLength { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            clock.Advance(connecting);
            Content = request.Content;
            ContentType = request.Content?.Headers.ContentType;
            ContentLength = request.Content?.Headers.ContentLength;
            using var written = new MemoryStream();
            await request.Content!.CopyToAsync(written, cancellationToken);
            Body = Encoding.UTF8.GetString(written.ToArray());
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
