namespace WildLong.Core.Tests.Support;

/// <summary>Paths to the real-data sample copied under TestData/ (see TestData/SOURCES.md for attribution).</summary>
public static class TestData
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData");

    public static string QueriesJsonl => Path.Combine(Directory, "queries.sample.jsonl");

    public static string DocumentsJsonl => Path.Combine(Directory, "documents.sample.jsonl");

    /// <summary>A fresh temporary folder, deleted by the caller's using block.</summary>
    public static TempDirectory CreateTempDirectory() => new();
}

public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wildlong-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
