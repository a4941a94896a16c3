namespace WildLong.Core.Tests.Reports;

/// <summary>Where the system's Chromium is: <c>chromium</c> (or <c>chromium-browser</c>) on the PATH, or null.</summary>
internal static class Chromium
{
    public static string? Path { get; } = Find();

    private static string? Find()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in new[] { "chromium", "chromium-browser" })
            {
                var candidate = System.IO.Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
