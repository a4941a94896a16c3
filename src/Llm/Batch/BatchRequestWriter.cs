using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace WildLong.Llm.Batch;

/// <summary>
/// Writes batch input files in the Batch API's JSONL format (<c>custom_id</c>, <c>method</c>, <c>url</c>,
/// <c>body</c>), UTF-8 without BOM, and starts a new file before one would exceed the line or byte limit, because
/// the service rejects a whole file that breaks either. Duplicate or empty <c>custom_id</c>s are refused up front:
/// the service would fail the whole batch for them, hours later.
/// </summary>
public sealed class BatchRequestWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonWriterOptions LineWriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private readonly GlobalBatchOptions options;

    public BatchRequestWriter(IOptions<GlobalBatchOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(this.options.MaxLinesPerFile);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(this.options.MaxBytesPerFile);
    }

    /// <summary>
    /// Writes <paramref name="requests"/> to <c>{directory}/{fileNamePrefix}-0001.jsonl</c>, <c>-0002</c>, … and
    /// returns the files in order. Throws <see cref="ArgumentException"/> for a duplicate or empty custom_id, a
    /// non-positive max tokens, or a single line larger than the byte limit.
    /// </summary>
    public Task<IReadOnlyList<BatchRequestFile>> WriteAsync(IEnumerable<BatchRequest> requests, string directory, string fileNamePrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return WriteLinesAsync(requests.Select(r => (r.CustomId, ToJsonLine(r, options.Endpoint))), directory, fileNamePrefix, cancellationToken);
    }

    /// <summary>The request line (without newline) of <paramref name="request"/> for route <paramref name="url"/>.</summary>
    public static string ToJsonLine(BatchRequest request, string url)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (string.IsNullOrWhiteSpace(request.CustomId))
        {
            throw new ArgumentException("Every batch request needs a non-empty custom_id.", nameof(request));
        }

        if (request.MaxOutputTokens <= 0)
        {
            throw new ArgumentException($"Request '{request.CustomId}': max tokens must be positive.", nameof(request));
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, LineWriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("custom_id", request.CustomId);
            json.WriteString("method", "POST");
            json.WriteString("url", url);
            json.WritePropertyName("body");
            WriteBody(json, request);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes already formed lines (e.g. copied from an earlier input file), with the same limits and checks.</summary>
    public async Task<IReadOnlyList<BatchRequestFile>> WriteLinesAsync(IEnumerable<(string CustomId, string Line)> lines, string directory, string fileNamePrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(fileNamePrefix);
        Directory.CreateDirectory(directory);

        var files = new List<BatchRequestFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        FileStream? current = null;
        string? currentPath = null;
        var currentIds = new List<string>();
        long currentBytes = 0;
        try
        {
            foreach (var (customId, line) in lines)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (string.IsNullOrWhiteSpace(customId))
                {
                    throw new ArgumentException("Every batch request needs a non-empty custom_id.", nameof(lines));
                }

                if (!seen.Add(customId))
                {
                    throw new ArgumentException($"Duplicate custom_id '{customId}': the service would fail the whole batch.", nameof(lines));
                }

                var bytes = Utf8NoBom.GetBytes(line + "\n");
                if (bytes.Length > options.MaxBytesPerFile)
                {
                    throw new ArgumentException($"Request '{customId}' takes {bytes.Length} bytes, more than a whole batch file may ({options.MaxBytesPerFile}).", nameof(lines));
                }

                if (current is not null && (currentIds.Count >= options.MaxLinesPerFile || currentBytes + bytes.Length > options.MaxBytesPerFile))
                {
                    files.Add(await CloseAsync(current, currentPath!, currentIds, currentBytes));
                    current = null;
                }

                if (current is null)
                {
                    currentPath = Path.Combine(directory, $"{fileNamePrefix}-{files.Count + 1:D4}.jsonl");
                    current = new FileStream(currentPath, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
                    currentIds = [];
                    currentBytes = 0;
                }

                await current.WriteAsync(bytes, cancellationToken);
                currentIds.Add(customId);
                currentBytes += bytes.Length;
            }

            if (current is not null)
            {
                files.Add(await CloseAsync(current, currentPath!, currentIds, currentBytes));
                current = null;
            }

            return files;
        }
        finally
        {
            if (current is not null)
            {
                await current.DisposeAsync();
            }
        }
    }

    private static async Task<BatchRequestFile> CloseAsync(FileStream stream, string path, List<string> ids, long bytes)
    {
        await stream.FlushAsync();
        await stream.DisposeAsync();
        return new BatchRequestFile(path, ids.Count, bytes, ids);
    }

    private static void WriteBody(Utf8JsonWriter json, BatchRequest request)
    {
        json.WriteStartObject();
        json.WriteString("model", request.Model);
        json.WriteStartArray("messages");
        foreach (var message in request.Messages)
        {
            json.WriteStartObject();
            json.WriteString("role", message.Role.Value);
            json.WriteString("content", message.Text);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("max_tokens", request.MaxOutputTokens);
        if (request.Temperature is { } temperature)
        {
            json.WriteNumber("temperature", temperature);
        }

        if (request.Seed is { } seed)
        {
            json.WriteNumber("seed", seed);
        }

        switch (request.ResponseFormat)
        {
            case ChatResponseFormatJson { Schema: { } schema } format:
                json.WriteStartObject("response_format");
                json.WriteString("type", "json_schema");
                json.WriteStartObject("json_schema");
                json.WriteString("name", format.SchemaName ?? "answer");
                if (format.SchemaDescription is not null)
                {
                    json.WriteString("description", format.SchemaDescription);
                }

                json.WriteBoolean("strict", true);
                json.WritePropertyName("schema");
                schema.WriteTo(json);
                json.WriteEndObject();
                json.WriteEndObject();
                break;
            case ChatResponseFormatJson:
                json.WriteStartObject("response_format");
                json.WriteString("type", "json_object");
                json.WriteEndObject();
                break;
        }

        json.WriteEndObject();
    }
}
