using WildLong.Development;

namespace WildLong.Cli;

/// <summary>The bundled sample for <c>run --sample</c> (see <see cref="BundledSample"/>), or a clear error outside a checkout.</summary>
internal static class SampleData
{
    public static (string Queries, string Documents) Locate()
        => BundledSample.TryLocate()
            ?? throw new CliException(ExitCodes.InputNotFound, "the bundled sample (samples/queries.jsonl, samples/documents.jsonl) was not found above the current folder; run from the repository");
}
