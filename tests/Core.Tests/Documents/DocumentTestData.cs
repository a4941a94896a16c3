using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Tests.Support;
using static WildLong.Core.Tests.Queries.InputFixtures;

namespace WildLong.Core.Tests.Documents;

/// <summary>The real sample documents, read once.</summary>
public static class DocumentTestData
{
    private static readonly Lazy<Task<IReadOnlyList<LongDocument>>> Sample = new(async () =>
    {
        var (ok, _) = await SplitAsync(new JsonlDocumentReader(Options.Create(new DocumentOptions())).ReadAsync(TestData.DocumentsJsonl));
        return ok;
    });

    public static Task<IReadOnlyList<LongDocument>> RealDocumentsAsync() => Sample.Value;
}
