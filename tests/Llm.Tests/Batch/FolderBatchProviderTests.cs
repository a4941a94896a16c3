using Microsoft.Extensions.Logging.Abstractions;
using WildLong.Llm.Batch;

namespace WildLong.Llm.Tests.Batch;

/// <summary>The batch folder: a request file written once per name, done when its result file appears, bad result lines reported and their ids missing (retryable).</summary>
public sealed class FolderBatchProviderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("wildlong-folder-batch-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task A_batch_is_done_when_its_result_file_appears_and_bad_lines_leave_their_ids_missing_and_retryable()
    {
        var provider = new FolderBatchProvider(Path.Combine(folder, "batches"), NullLogger<FolderBatchProvider>.Instance);
        var requests = Path.Combine(folder, "in.jsonl");
        await File.WriteAllTextAsync(requests, "{\"custom_id\":\"a\"}\n{\"custom_id\":\"b\"}\n{\"custom_id\":\"c\"}\n");

        var id = await provider.SubmitAsync("sub-0001", requests, CancellationToken.None);
        var written = Path.Combine(folder, "batches", "sub-0001.requests.jsonl");
        Assert.Equal(await File.ReadAllTextAsync(requests), await File.ReadAllTextAsync(written));
        var stamp = File.GetLastWriteTimeUtc(written);
        await File.WriteAllTextAsync(requests, "changed\n");
        Assert.Equal(id, await provider.SubmitAsync("sub-0001", requests, CancellationToken.None));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(written));   // submitting the same name again writes nothing

        var status = await provider.GetStatusAsync(id, CancellationToken.None);
        Assert.False(status.IsTerminal);

        const string body = """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}""";
        await File.WriteAllTextAsync(Path.Combine(folder, "batches", "sub-0001.results.jsonl"),
            "{\"id\":\"r1\",\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":" + body + "},\"error\":null}\n"
            + "{\"id\":\"r2\",\"custom_id\":\n"
            + "{\"id\":\"r3\",\"custom_id\":\"c\",\"response\":{\"status_code\":400,\"body\":{\"error\":{\"message\":\"bad schema\"}}},\"error\":{\"code\":\"invalid_request\",\"message\":\"bad schema\"}}\n");
        status = await provider.GetStatusAsync(id, CancellationToken.None);
        Assert.True(status.IsTerminal);

        var collection = await provider.CollectAsync(status, ["a", "b", "c"], CancellationToken.None);
        Assert.Equal("hello", collection.Results["a"].Response!.Text);
        Assert.Equal(5, collection.Results["a"].Response!.Usage!.InputTokenCount);
        Assert.False(collection.Results["b"].Succeeded);
        Assert.True(collection.Results["b"].Retryable);
        Assert.Contains("line 2", collection.Results["b"].FailureReason, StringComparison.Ordinal);
        Assert.False(collection.Results["c"].Retryable);
        Assert.Contains("bad schema", collection.Results["c"].FailureReason, StringComparison.Ordinal);
        Assert.Single(collection.Problems);
    }
}
