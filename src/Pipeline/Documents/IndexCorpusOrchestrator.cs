using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using WildLong.Core.Pipeline;
using WildLong.Pipeline.Blobs;
using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Documents;

/// <summary>Indexes one corpus file: what a file landing in the documents container starts.</summary>
public sealed class IndexCorpusOrchestrator(IOptions<PipelineOptions> options, IOptions<MethodRunOptions> runOptions) : TaskOrchestrator<BlobRef, WorkSummary>
{
    public override Task<WorkSummary> RunAsync(TaskOrchestrationContext context, BlobRef input)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runOptions);
        return IndexingSteps.IndexCorporaAsync(context, [input], runOptions.Value.DocumentBatchSize, options.Value, progress: null);
    }
}
