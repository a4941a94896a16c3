using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace WildLong.Core.Common;

/// <summary>
/// Hashes that are the same on every machine and every run (unlike <see cref="string.GetHashCode()"/>), for
/// seeds, shingles and content addresses.
/// </summary>
public static class StableHash
{
    /// <summary>64-bit XxHash of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Hash64(string text, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        return XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(text), (long)seed);
    }

    /// <summary>Combines a seed and an index into an independent 64-bit stream seed (SplitMix64 finalizer).</summary>
    public static ulong Mix(ulong seed, ulong index)
    {
        var z = seed + ((index + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A SHA-256 content address (lowercase hex) over the given parts, separated unambiguously.</summary>
    public static string ContentAddress(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            var bytes = Encoding.UTF8.GetBytes(part ?? string.Empty);
            sha.AppendData(BitConverter.GetBytes(bytes.Length));
            sha.AppendData(bytes);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
