namespace WildLong.Pipeline.Batches;

/// <summary>The three steps of a batch that <see cref="ModelBatchActivity"/> runs, each short, between durable timers.</summary>
public enum ModelBatchAction
{
    /// <summary>Merge the waiting request lines of a stage pass into request files and submit them (once per content).</summary>
    Submit,

    /// <summary>Look at every part of the submission once; done when all have ended.</summary>
    Poll,

    /// <summary>Record every line's answer or failure (see <c>BatchAnswers</c>) and bill the answered ones at the batch price.</summary>
    Collect,
}
