using System.Buffers;
using System.Text.Unicode;

namespace WildLong.Core.Common;

/// <summary>
/// Decodes UTF-8 without replacement characters, so corrupt input is reported (with the offset of the first bad
/// byte) instead of silently turning into U+FFFD in training data.
/// </summary>
internal static class StrictUtf8
{
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text, out int invalidByteOffset)
    {
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, bytes.Length));
        try
        {
            var status = Utf8.ToUtf16(bytes, buffer, out var bytesRead, out var charsWritten, replaceInvalidSequences: false, isFinalBlock: true);
            if (status != OperationStatus.Done)
            {
                text = string.Empty;
                invalidByteOffset = bytesRead;
                return false;
            }

            text = new string(buffer, 0, charsWritten);
            invalidByteOffset = -1;
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Length of a UTF-8 byte order mark at the start of <paramref name="bytes"/> (0 or 3).</summary>
    public static int BomLength(ReadOnlySpan<byte> bytes)
        => bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
}
