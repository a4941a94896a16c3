using WildLong.Core.MetaInfo;

namespace WildLong.Core.Tests.MetaInfo;

/// <summary>Schemas for tests that need the default fields without vocabularies (free-text values, as in schema v1).</summary>
internal static class TestSchemas
{
    public static MetaInfoSchema FreeText { get; } = new(
        [.. MetaInfoSchema.Default.Fields.Select(f => f with { Vocabulary = null })],
        MetaInfoSchema.Default.DocumentTypeField);
}
