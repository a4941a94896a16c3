using System.Text;
using System.Text.Json;

namespace WildLong.Core.Common;

/// <summary>Appends quarantined records to a JSONL file, one object per line, so they can be inspected and replayed.</summary>
public sealed class JsonlQuarantineWriter : IQuarantineSink, IAsyncDisposable
{
    private readonly StreamWriter writer;
    private readonly SemaphoreSlim gate = new(1, 1);

    public JsonlQuarantineWriter(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        writer = new StreamWriter(path, append: true, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    public async ValueTask AddAsync(QuarantineEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var line = JsonSerializer.Serialize(entry, WildLongJson.Options);
        await gate.WaitAsync(cancellationToken);
        try
        {
            await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
            await writer.FlushAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await writer.DisposeAsync();
        gate.Dispose();
    }
}
