using WildLong.Core.Common;

namespace WildLong.Core.Generation;

/// <summary>
/// Derives the per-item random streams and model-call seeds of the generation rounds (instruction writing, the end
/// of stage 1, and stage 2) from (run seed, purpose, scope, index), so
/// every decision is independent of batch composition and execution order.
/// </summary>
internal static class GenerationSeeds
{
    /// <summary>A 64-bit stream seed for one decision about one item.</summary>
    public static ulong Stream(ulong runSeed, string purpose, string scope, long index)
        => StableHash.Mix(StableHash.Hash64(purpose + "\u001f" + scope, runSeed), (ulong)index);

    /// <summary>A random generator for one decision about one item.</summary>
    public static DeterministicRandom Random(ulong runSeed, string purpose, string scope, long index)
        => new(Stream(runSeed, purpose, scope, index));

    /// <summary>A non-negative seed to send with one model call.</summary>
    public static long ForCall(ulong runSeed, string stage, string itemId)
        => (long)(StableHash.Hash64(stage + "\u001f" + itemId, runSeed) >> 1);
}
