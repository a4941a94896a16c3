namespace WildLong.Simulator.Batches;

/// <summary>The mutable state of one batch; guarded by its own lock because the runner and the HTTP handlers share it.</summary>
internal sealed class BatchJob
{
    public BatchJob(string id, string inputFileId, string endpoint, string completionWindow, long createdAt, TimeSpan window)
    {
        Id = id;
        InputFileId = inputFileId;
        Endpoint = endpoint;
        CompletionWindow = completionWindow;
        CreatedAt = createdAt;
        Window = window;
    }

    public Lock Gate { get; } = new();

    public CancellationTokenSource Cancel { get; } = new();

    public string Id { get; }

    public string InputFileId { get; }

    public string Endpoint { get; }

    public string CompletionWindow { get; }

    public TimeSpan Window { get; }

    public long CreatedAt { get; }

    public string Status { get; set; } = "validating";

    public string? OutputFileId { get; set; }

    public string? ErrorFileId { get; set; }

    public int Total { get; set; }

    public int Completed { get; set; }

    public int Failed { get; set; }

    public long? InProgressAt { get; set; }

    public long? FinishedAt { get; set; }

    public string? FailureMessage { get; set; }
}
