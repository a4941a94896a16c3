namespace WildLong.Bench.EngineThroughput;

/// <summary>
/// The one input every mode gets: the first N queries split into contiguous shards (files in a temporary folder,
/// uploaded as blobs for the durable modes) and the corpus file as it is, so all modes read the same bytes.
/// </summary>
public sealed class BenchInputs : IDisposable
{
    private BenchInputs(string folder, string queriesFolder, string documentsFile, int queries)
    {
        Folder = folder;
        QueriesFolder = queriesFolder;
        DocumentsFile = documentsFile;
        Queries = queries;
    }

    /// <summary>Temporary folder holding the shards (deleted on dispose).</summary>
    public string Folder { get; }

    public string QueriesFolder { get; }

    public string DocumentsFile { get; }

    /// <summary>Query lines actually taken (fewer than asked when the file is shorter).</summary>
    public int Queries { get; }

    public static async Task<BenchInputs> PrepareAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var queriesFile = options.QueriesFile ?? DefaultDataFile(Path.Combine("queries", "queries.jsonl"));
        var documentsFile = options.DocumentsFile ?? DefaultDataFile(Path.Combine("documents", "documents.jsonl"));
        foreach (var file in new[] { queriesFile, documentsFile })
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"input file not found: {file} (pass --queries-file / --documents-file)", file);
            }
        }

        var lines = new List<string>();
        await foreach (var line in File.ReadLinesAsync(queriesFile, cancellationToken))
        {
            if (lines.Count == options.Queries)
            {
                break;
            }

            if (!string.IsNullOrWhiteSpace(line))
            {
                lines.Add(line);
            }
        }

        var folder = Path.Combine(Path.GetTempPath(), "wildlong-bench-" + Guid.NewGuid().ToString("N")[..12]);
        var queriesFolder = Path.Combine(folder, "queries");
        Directory.CreateDirectory(queriesFolder);
        var perShard = (int)Math.Ceiling(lines.Count / (double)options.Shards);
        for (var shard = 0; shard * perShard < lines.Count; shard++)
        {
            var path = Path.Combine(queriesFolder, $"shard-{shard:D2}.jsonl");
            await File.WriteAllLinesAsync(path, lines.Skip(shard * perShard).Take(perShard), cancellationToken);
        }

        return new BenchInputs(folder, queriesFolder, Path.GetFullPath(documentsFile), lines.Count);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    /// <summary><c>../shared/data/RELATIVE</c> beside the checkout (the folder holding WildLong.sln), found from here or the app.</summary>
    private static string DefaultDataFile(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WildLong.sln")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", relative));
                }
            }
        }

        return Path.GetFullPath(Path.Combine("..", "shared", "data", relative));
    }
}
