using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using WildLong.Core.Generation;

namespace WildLong.Core.Graphs;

/// <summary>
/// A path sampled on one document type's graph: an ordered set of (field, value) choices that together describe
/// a plausible user need. <see cref="Index"/> is the path's position in the sampling plan; with the seed it fully
/// determines the path.
/// </summary>
public sealed record InstructionPath(string DocumentType, long Index, IReadOnlyList<PathStep> Steps)
{
    /// <summary>
    /// The task kind the round planner assigned (see <see cref="TaskKindPlanner.Assign"/>); null lets the writer
    /// decide from seed and index alone. Not part of <see cref="Key"/>: the same path is the same need in any form.
    /// </summary>
    public TaskKind? PlannedKind { get; init; }

    /// <summary>A canonical key (document type and steps in field order) used to deduplicate paths.</summary>
    public string Key => DocumentType + "|" + string.Join("|", Steps.OrderBy(s => s.Field, StringComparer.Ordinal).Select(s => s.Field + "=" + s.Value));

    /// <summary>
    /// A 128-bit hash of what <see cref="Key"/> holds (document type and steps in field order), computed without
    /// building the key: what the samplers deduplicate hundreds of thousands of candidate paths by, most of which are
    /// thrown away. Each string is hashed with its length, so no two different keys share their hashed bytes; two keys
    /// share a hash with probability about 2^-128 per pair.
    /// </summary>
    public UInt128 KeyHash()
    {
        var steps = Steps;
        Span<int> order = steps.Count <= 64 ? stackalloc int[steps.Count] : new int[steps.Count];
        var chars = DocumentType.Length;
        for (var i = 0; i < order.Length; i++)
        {
            // Insertion sort by field (ordinal, stable for equal fields as OrderBy is): paths have a few dozen steps at most.
            var j = i;
            while (j > 0 && string.CompareOrdinal(steps[order[j - 1]].Field, steps[i].Field) > 0)
            {
                order[j] = order[j - 1];
                j--;
            }

            order[j] = i;
            chars += steps[i].Field.Length + steps[i].Value.Length;
        }

        var bytes = (chars * sizeof(char)) + ((1 + (2 * order.Length)) * sizeof(int));
        byte[]? rented = null;
        var buffer = bytes <= 2048 ? stackalloc byte[bytes] : (rented = ArrayPool<byte>.Shared.Rent(bytes)).AsSpan(0, bytes);
        var at = Append(buffer, 0, DocumentType);
        foreach (var i in order)
        {
            at = Append(buffer, at, steps[i].Field);
            at = Append(buffer, at, steps[i].Value);
        }

        var hash = XxHash128.HashToUInt128(buffer);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return hash;

        static int Append(Span<byte> buffer, int at, string text)
        {
            MemoryMarshal.Write(buffer[at..], text.Length);
            at += sizeof(int);
            MemoryMarshal.AsBytes(text.AsSpan()).CopyTo(buffer[at..]);
            return at + (text.Length * sizeof(char));
        }
    }

    /// <summary>
    /// One or two short excerpts of real requests with this path's task (see
    /// <see cref="Instructions.RequestExampleIndex"/>), shown to the instruction writer as style examples. Not part of
    /// <see cref="Key"/>: the same path with other examples is the same path. Null when none were attached (then
    /// it is not serialized, so path blobs without examples are unchanged).
    /// </summary>
    public IReadOnlyList<string>? Examples { get; init; }

    /// <summary>
    /// Real users' own words for some of the path's values (one per step at most; see
    /// <see cref="Instructions.RequestExampleIndex.DetailsFor"/>), so the writer can be as specific as real requests.
    /// Like <see cref="Examples"/>, not part of <see cref="Key"/> and null when none were attached.
    /// </summary>
    public IReadOnlyList<Instructions.StepDetail>? Details { get; init; }
}

/// <summary>One value chosen for one meta-information field.</summary>
public sealed record PathStep(string Field, string Value);
