using Microsoft.DurableTask;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Documents;

/// <summary>Indexes one corpus file: what a file landing in the documents container starts.</summary>
public sealed class IndexCorpusOrchestrator : TaskOrchestrator<InputBlobRequest, WorkSummary>
{
    public override async Task<WorkSummary> RunAsync(TaskOrchestrationContext context, InputBlobRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return (await IndexingSteps.IndexCorporaAsync(context, [input.Blob], input.Shape, progress: null)).Summary;
    }
}
