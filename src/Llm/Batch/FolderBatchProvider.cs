using Microsoft.Extensions.Logging;

namespace WildLong.Llm.Batch;

/// <summary>
/// The <c>batch-folder</c> provider: a batch is the file <c>&lt;folder&gt;/&lt;batch id&gt;.requests.jsonl</c> (the
/// Batch API's input format), and it is done when <c>&lt;batch id&gt;.results.jsonl</c> appears beside it in the OpenAI
/// batch output format — what vLLM's <c>run_batch</c> writes. Whoever answers should write the results under another
/// name and rename it, so a half-written file is never read. The batch id is the request file's name, derived from
/// its content, so submitting the same requests again writes nothing new.
/// </summary>
public sealed class FolderBatchProvider : IModelBatchProvider
{
    /// <summary>Suffix of a request file.</summary>
    public const string RequestsSuffix = ".requests.jsonl";

    /// <summary>Suffix of the result file that answers it.</summary>
    public const string ResultsSuffix = ".results.jsonl";

    private readonly string folder;
    private readonly ILogger<FolderBatchProvider> logger;

    public FolderBatchProvider(string folder, ILogger<FolderBatchProvider> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        this.folder = Path.GetFullPath(folder);
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public async Task<string> SubmitAsync(string name, string requestFilePath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, name + RequestsSuffix);
        if (!File.Exists(target))
        {
            // Written under a temporary name and renamed, so a watcher never sees half a file.
            var temporary = target + ".partial";
            File.Copy(requestFilePath, temporary, overwrite: true);
            File.Move(temporary, target, overwrite: true);
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Batch {Name}: request file {Path} written; waiting for {Results}", name, target, name + ResultsSuffix);
            }
        }

        await Task.CompletedTask;
        return name;
    }

    public Task<BatchJobStatus> GetStatusAsync(string batchId, CancellationToken cancellationToken)
    {
        var results = ResultsPath(batchId);
        var done = File.Exists(results);
        return Task.FromResult(new BatchJobStatus(batchId, done ? "completed" : "in_progress", RequestsPath(batchId), done ? results : null, null, 0, 0, 0, []));
    }

    public async Task<BatchCollection> CollectAsync(BatchJobStatus status, IReadOnlyCollection<string> expectedCustomIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(expectedCustomIds);
        var expected = new HashSet<string>(expectedCustomIds, StringComparer.Ordinal);
        var results = new Dictionary<string, BatchLineResult>(StringComparer.Ordinal);
        var problems = new List<string>();
        var path = ResultsPath(status.Id);
        await using (var stream = File.OpenRead(path))
        {
            await BatchJobClient.ReadResultLinesAsync(stream, path, expected, results, problems, cancellationToken);
        }

        foreach (var id in expected.Where(id => !results.ContainsKey(id)))
        {
            var why = problems.Count > 0 ? $"; the result file has {problems.Count} unusable line(s), first: {problems[0]}" : string.Empty;
            results[id] = BatchLineResult.Failure(id, $"missing: {Path.GetFileName(path)} has no usable line for it{why}", retryable: true);
        }

        if (problems.Count > 0 && logger.IsEnabled(LogLevel.Warning))
        {
            logger.LogWarning("Batch {BatchId}: {Count} unusable result lines, first: {First}", status.Id, problems.Count, problems[0]);
        }

        return new BatchCollection(results, problems);
    }

    private string RequestsPath(string batchId) => Path.Combine(folder, batchId + RequestsSuffix);

    private string ResultsPath(string batchId) => Path.Combine(folder, batchId + ResultsSuffix);
}
