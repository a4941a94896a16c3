using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace WildLong.Storage.Tables;

/// <summary>
/// Turns arbitrary text (document types, versions, run ids) into legal Table Storage keys, and content into short
/// hash keys. Table keys may not hold / \ # ? or control characters and are limited to 1 KiB, so readable text is
/// percent-encoded over a small safe alphabet (injective, ASCII only) and, when too long, cut and suffixed with a
/// hash of the whole text.
/// </summary>
internal static class TableKeys
{
    /// <summary>The separator between the segments of a composite row key; never produced by <see cref="Encode"/>.</summary>
    public const char Separator = '|';

    /// <summary>The character after <see cref="Separator"/>, used as the exclusive upper bound of prefix ranges.</summary>
    public const char AfterSeparator = '}';

    /// <summary>Starts reserved partitions (ledger, markers); <see cref="Encode"/> only emits it before a hash suffix.</summary>
    public const char Reserved = '~';

    /// <summary>
    /// A legal key for <paramref name="text"/>: letters, digits, '-', '_' and '.' are kept, every other UTF-8 byte
    /// becomes %XX. Different texts give different keys. When the encoded form is longer than
    /// <paramref name="maxLength"/>, it is cut and '~' plus a 128-bit hash of the text is appended.
    /// </summary>
    public static string Encode(string text, int maxLength = 200)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 64);
        var builder = new StringBuilder(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            {
                builder.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? Encoding.UTF8.GetBytes(text.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(text.AsSpan(i, 1), utf8);
            for (var b = 0; b < length; b++)
            {
                builder.Append('%').Append(utf8[b].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (builder.Length <= maxLength)
        {
            return builder.ToString();
        }

        var hash = Hash128(text);
        return string.Concat(builder.ToString(0, maxLength - hash.Length - 1), Reserved.ToString(), hash);
    }

    /// <summary>Lowercase hex of a 128-bit XxHash over the UTF-8 parts, each prefixed by its length (unambiguous).</summary>
    public static string Hash128(params ReadOnlySpan<string> parts)
    {
        var hasher = new XxHash128();
        Span<byte> length = stackalloc byte[4];
        foreach (var part in parts)
        {
            var bytes = Encoding.UTF8.GetBytes(part ?? string.Empty);
            BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            hasher.Append(length);
            hasher.Append(bytes);
        }

        return Convert.ToHexStringLower(hasher.GetCurrentHash());
    }

    /// <summary>An OData filter selecting the row keys of one partition that start with <paramref name="prefix"/>.</summary>
    /// <remarks>The prefix must end with <see cref="Separator"/>, so the range [prefix, prefix with '}') is exact.</remarks>
    public static string PrefixFilter(string partitionKey, string prefix)
    {
        if (prefix.Length == 0 || prefix[^1] != Separator)
        {
            throw new ArgumentException($"Row key prefix '{prefix}' must end with '{Separator}'.", nameof(prefix));
        }

        var upper = string.Concat(prefix.AsSpan(0, prefix.Length - 1), AfterSeparator.ToString());
        return Azure.Data.Tables.TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and RowKey ge {prefix} and RowKey lt {upper}");
    }
}
