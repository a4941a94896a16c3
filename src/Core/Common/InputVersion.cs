using System.Security.Cryptography;
using System.Text;

namespace WildLong.Core.Common;

/// <summary>
/// A content version for a local input (a file, or a folder of files): the first 16 hex digits of a SHA-256 over
/// the files' relative names and bytes, in ordinal order, so the same content gives the same version wherever it
/// lies and any change gives another. Used to name what fed a run; a path that does not exist has version "-".
/// </summary>
public static class InputVersion
{
    public static string Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (File.Exists(path))
        {
            Append(hash, path);
        }
        else if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(path, file) + "\n"));
                Append(hash, file);
            }
        }
        else
        {
            return "-";
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static void Append(IncrementalHash hash, string file)
    {
        using var stream = File.OpenRead(file);
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }
    }
}
