using Microsoft.DurableTask;
using WildLong.Pipeline.Extraction;

namespace WildLong.Pipeline.Indexing;

/// <summary>
/// Indexes one corpus file, returning the work done and the plan read: started by a full run for each of its corpus
/// files and by a file landing in the documents container.
/// </summary>
public sealed class IndexCorpusOrchestrator : TaskOrchestrator<InputBlobRequest, InputStepResult>
{
    public override Task<InputStepResult> RunAsync(TaskOrchestrationContext context, InputBlobRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return IndexingSteps.IndexCorpusAsync(context, input.Blob, input.Shape);
    }
}
