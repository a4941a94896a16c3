using Azure.Data.Tables;

namespace WildLong.Storage.Tables;

/// <summary>
/// Stores text longer than one string property allows (32 Ki characters) across numbered properties of the same
/// entity, so JSON documents such as a run's configuration or summary fit in one row (up to the 1 MiB entity limit).
/// </summary>
internal static class TableText
{
    private const int ChunkLength = 30_000;

    /// <summary>Sets <paramref name="name"/> (and, for long text, <c>{name}_1</c>… with <c>{name}_Chunks</c>).</summary>
    public static void Write(TableEntity entity, string name, string? text)
    {
        if (text is null || text.Length <= ChunkLength)
        {
            entity[name] = text;
            return;
        }

        var chunks = 0;
        for (var start = 0; start < text.Length; chunks++)
        {
            var length = Math.Min(ChunkLength, text.Length - start);
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
            {
                length--; // never split a surrogate pair
            }

            entity[chunks == 0 ? name : $"{name}_{chunks}"] = text.Substring(start, length);
            start += length;
        }

        entity[name + "_Chunks"] = chunks;
    }

    /// <summary>The text written by <see cref="Write"/>, or null when the property is absent.</summary>
    public static string? Read(TableEntity entity, string name)
    {
        var first = entity.GetString(name);
        var chunks = entity.GetInt32(name + "_Chunks") ?? 1;
        if (first is null || chunks <= 1)
        {
            return first;
        }

        var parts = new string[chunks];
        parts[0] = first;
        for (var i = 1; i < chunks; i++)
        {
            parts[i] = entity.GetString($"{name}_{i}")
                ?? throw new InvalidOperationException($"Row '{entity.PartitionKey}'/'{entity.RowKey}' misses part {i} of {chunks} of '{name}'.");
        }

        return string.Concat(parts);
    }
}
