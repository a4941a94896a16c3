using System.Text.Encodings.Web;
using System.Text.Json;

namespace WildLong.Core.Model;

/// <summary>
/// A JSON schema as the service reads it: compact, without HTML-safe escapes (<c>'</c>, <c>&lt;</c> stay as they
/// are). The estimator and the simulator count a structured request's schema tokens from this one text, so the
/// dry run and the simulated bill agree however a client formatted the schema on the wire.
/// </summary>
public static class SchemaText
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static string Compact(JsonElement schema)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            schema.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
