using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Model;
using WildLong.Core.Prompts;

namespace WildLong.Core.Documents;

/// <summary>
/// Assigns each corpus document a taxonomy type, so it can be paired with instructions built for that type.
/// A corpus hint that maps onto a real type is trusted and costs no model call; otherwise the model sees the
/// title and the first tokens and must answer with one of the taxonomy's names (a strict enum schema).
/// </summary>
public sealed class DocumentClassifier
{
    public const string PromptName = "document-classification";

    private readonly LlmCaller llm;
    private readonly DocumentOptions options;
    private readonly DocumentTaxonomy taxonomy;
    private readonly PromptTemplate prompt;
    private readonly TokenCounter tokenCounter;
    private readonly ILogger<DocumentClassifier> logger;
    private readonly JsonElement schema;
    private readonly string typeList;

    public DocumentClassifier(
        LlmCaller llm,
        IOptions<DocumentOptions> options,
        DocumentTaxonomy? taxonomy = null,
        PromptLibrary? prompts = null,
        TokenCounter? tokenCounter = null,
        ILogger<DocumentClassifier>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.llm = llm ?? throw new ArgumentNullException(nameof(llm));
        this.options = options.Value;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(this.options.ClassificationMaxOutputTokens);
        this.taxonomy = taxonomy ?? DocumentTaxonomy.Default;
        prompt = (prompts ?? PromptLibrary.Default).Get(PromptName);
        this.tokenCounter = tokenCounter ?? TokenCounter.Shared;
        this.logger = logger ?? NullLogger<DocumentClassifier>.Instance;
        schema = BuildSchema(this.taxonomy.Names);
        typeList = string.Join('\n', this.taxonomy.Types.Select(t => $"- {t.Name}: {t.Description}"))
            + $"\n- {this.taxonomy.Other}: none of the above";
    }

    /// <summary>The prompt in use (name@version), recorded with model-decided types.</summary>
    public string PromptId => prompt.Id;

    /// <summary>
    /// Classifies a batch. Documents whose type cannot be decided (the model fails or keeps answering outside
    /// the schema) are quarantined with the reason; the rest of the batch is unaffected. Output keeps input order.
    /// </summary>
    public async Task<BatchResult<DocumentClassification>> ClassifyAsync(IReadOnlyList<LongDocument> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var outcomes = new (DocumentClassification? Item, QuarantineEntry? Error)[batch.Count];
        await Parallel.ForAsync(0, batch.Count, new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, options.ClassificationParallelism),
            CancellationToken = cancellationToken,
        }, async (i, ct) => outcomes[i] = await ClassifyOneAsync(batch[i], ct));

        return new BatchResult<DocumentClassification>(
            [.. outcomes.Where(o => o.Item is not null).Select(o => o.Item!)],
            [.. outcomes.Where(o => o.Error is not null).Select(o => o.Error!)]);
    }

    private async Task<(DocumentClassification? Item, QuarantineEntry? Error)> ClassifyOneAsync(LongDocument document, CancellationToken cancellationToken)
    {
        var hinted = taxonomy.Resolve(document.DocTypeHint);
        if (hinted != taxonomy.Other)
        {
            return (new DocumentClassification(document.Id, hinted, DocumentClassification.FromHint), null);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["types"] = typeList,
            ["other"] = taxonomy.Other,
            ["title"] = string.IsNullOrWhiteSpace(document.Title) ? "(none)" : document.Title,
            ["excerpt_tokens"] = options.ClassificationExcerptTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["excerpt"] = tokenCounter.Head(document.Text, options.ClassificationExcerptTokens),
        };
        ChatMessage[] messages =
        [
            new(ChatRole.System, prompt.RenderSystem(values)),
            new(ChatRole.User, prompt.RenderUser(values)),
        ];

        var result = await llm.CompleteJsonAsync(
            StageNames.ClassifyDocuments,
            messages,
            schema,
            "document_classification",
            options.ClassificationMaxOutputTokens,
            SeedFor(document.Id),
            validate: null,
            cancellationToken);
        if (!result.Success)
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug("Document {Id} could not be classified: {Reason}", document.Id, result.FailureReason);
            }

            return (null, QuarantineEntry.ForItem(StageNames.ClassifyDocuments, document.Id, $"document type could not be classified: {result.FailureReason}", result.RawOutput));
        }

        var type = result.Value.GetProperty("document_type").GetString()!;
        return (new DocumentClassification(document.Id, type, DocumentClassification.FromModel, prompt.Id), null);
    }

    /// <summary>A per-document seed from a stable hash of stage and id, so reruns ask the same question the same way.</summary>
    private static long SeedFor(string documentId)
        => (long)(StableHash.Hash64(StageNames.ClassifyDocuments + "\n" + documentId) & long.MaxValue);

    private static JsonElement BuildSchema(IReadOnlyList<string> names)
    {
        var json = new StringBuilder();
        json.Append("""{"type":"object","properties":{"document_type":{"type":"string","enum":""");
        json.Append(JsonSerializer.Serialize(names, WildLongJson.Options));
        json.Append("""}},"required":["document_type"],"additionalProperties":false}""");
        using var document = JsonDocument.Parse(json.ToString());
        return document.RootElement.Clone();
    }
}
