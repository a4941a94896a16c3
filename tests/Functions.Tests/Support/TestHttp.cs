using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace WildLong.Functions.Tests.Support;

/// <summary>An HTTP request for calling HTTP functions directly (the worker's request type is abstract).</summary>
internal sealed class TestHttpRequest : HttpRequestData
{
    public TestHttpRequest(string method, string url, string? body = null)
        : base(new TestFunctionContext())
    {
        Method = method;
        Url = new Uri(url);
        Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? string.Empty));
    }

    public override Stream Body { get; }

    public override HttpHeadersCollection Headers { get; } = [];

    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];

    public override Uri Url { get; }

    public override IEnumerable<ClaimsIdentity> Identities { get; } = [];

    public override string Method { get; }

    public override HttpResponseData CreateResponse() => new TestHttpResponse(FunctionContext);
}

/// <summary>The response a <see cref="TestHttpRequest"/> creates; the body is kept for assertions.</summary>
internal sealed class TestHttpResponse(FunctionContext context) : HttpResponseData(context)
{
    public override HttpStatusCode StatusCode { get; set; }

    public override HttpHeadersCollection Headers { get; set; } = [];

    public override Stream Body { get; set; } = new MemoryStream();

    public override HttpCookies Cookies => throw new NotSupportedException();

    public string BodyText()
    {
        Body.Position = 0;
        using var reader = new StreamReader(Body, leaveOpen: true);
        return reader.ReadToEnd();
    }

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
