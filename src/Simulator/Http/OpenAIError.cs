using System.Text.Json.Nodes;
using WildLong.Core.Common;

namespace WildLong.Simulator.Http;

/// <summary>Writes errors in the shape OpenAI and Azure OpenAI use, which the client libraries parse into exceptions.</summary>
internal static class OpenAIError
{
    public static JsonObject Body(string code, string message, string type, string? param = null) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["type"] = type,
            ["param"] = param,
        },
    };

    public static Task WriteAsync(HttpContext context, int status, string code, string message, string type, string? param = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(Body(code, message, type, param).ToJsonString(WildLongJson.Options), context.RequestAborted);
    }
}
