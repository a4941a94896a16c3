namespace WildLong.Core.MetaInfo;

/// <summary>Budget and behaviour of the meta-information extraction stage.</summary>
public sealed class MetaInfoExtractionOptions
{
    public const string SectionName = "WildLong:MetaInfoExtraction";

    /// <summary>Output cap per call. Thirteen short fields fit in ~300 tokens; the cap stops run-away answers.</summary>
    public int MaxOutputTokens { get; set; } = 600;

    /// <summary>Queries longer than this (o200k tokens) are cut for the prompt to a head and a tail.</summary>
    public int MaxQueryTokens { get; set; } = 2_000;

    /// <summary>Tokens kept from the start of a cut query (where the request and the document usually begin).</summary>
    public int HeadTokens { get; set; } = 1_200;

    /// <summary>Tokens kept from the end of a cut query (where a request after a pasted document usually is).</summary>
    public int TailTokens { get; set; } = 600;

    /// <summary>Base seed; each query's model seed is derived from it and the query id.</summary>
    public long Seed { get; set; }

    /// <summary>Model calls in flight at once within one batch.</summary>
    public int MaxParallelism { get; set; } = 4;

    /// <summary>Run <see cref="Queries.LongContextPreFilter"/> first and skip the model for queries it drops.</summary>
    public bool UsePreFilter { get; set; } = true;

    /// <summary>Longest accepted single value (characters); longer values are sent back to the model as an error.</summary>
    public int MaxValueChars { get; set; } = 160;

    /// <summary>The prompt used (a name in the <see cref="Prompts.PromptLibrary"/>).</summary>
    public string PromptName { get; set; } = "metainfo-extraction";
}
