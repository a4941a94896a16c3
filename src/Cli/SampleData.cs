namespace WildLong.Cli;

/// <summary>Finds the bundled sample (samples/ at the repository root) from the working folder or the tool's own.</summary>
internal static class SampleData
{
    public static (string Queries, string Documents) Locate()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var queries = Path.Combine(dir.FullName, "samples", "queries.jsonl");
                var documents = Path.Combine(dir.FullName, "samples", "documents.jsonl");
                if (File.Exists(queries) && File.Exists(documents))
                {
                    return (queries, documents);
                }
            }
        }

        throw new CliException(ExitCodes.InputNotFound, "the bundled sample (samples/queries.jsonl, samples/documents.jsonl) was not found above the current folder; run from the repository");
    }
}
