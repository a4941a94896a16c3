using System.Buffers;
using WildLong.Pipeline.Runs;

namespace WildLong.Functions.Http;

/// <summary>Checks of request fields, each failure one clear sentence naming the field (answered as 400).</summary>
internal static class RequestValidation
{
    public const int MaxRunIdLength = 80;

    private static readonly SearchValues<char> RunIdChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>Run settings from optional fields: pairs is required and at least 1, the share within [0, 1], seed defaults to 0.</summary>
    public static (RunSettings? Settings, string? Error) Settings(int? pairs, ulong? seed, double? share)
    {
        if (pairs is null)
        {
            return (null, "pairs is required (the number of instruction/response pairs to make, at least 1)");
        }

        if (pairs < 1)
        {
            return (null, $"pairs must be at least 1 (got {pairs})");
        }

        if (share is { } s && (double.IsNaN(s) || s < 0 || s > 1))
        {
            return (null, $"multiDocumentShare must be between 0 and 1 (got {s})");
        }

        return (new RunSettings(pairs.Value, seed ?? 0, share), null);
    }

    /// <summary>
    /// A caller-chosen run id: 1–80 letters, digits, '-', '_' or '.', not starting with '.'. It becomes the orchestration
    /// instance id and the dataset's blob folder, so nothing else is allowed.
    /// </summary>
    public static string? RunId(string? runId)
    {
        if (runId is null)
        {
            return null;
        }

        if (runId.Length is 0 or > MaxRunIdLength || runId.AsSpan().ContainsAnyExcept(RunIdChars) || runId[0] == '.')
        {
            return $"runId must be 1 to {MaxRunIdLength} letters, digits, '-', '_' or '.' and must not start with '.'";
        }

        return null;
    }

    /// <summary>A blob prefix: null or empty is the whole container; no leading '/', no '..' segments.</summary>
    public static string? Prefix(string field, string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return null;
        }

        if (prefix.StartsWith('/') || prefix.Split('/').Contains("..", StringComparer.Ordinal) || prefix.Any(char.IsControl))
        {
            return $"{field} must be a blob name prefix inside the container (no leading '/', no '..', no control characters)";
        }

        return null;
    }
}
