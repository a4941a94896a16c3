namespace WildLong.Core.MetaInfo;

/// <summary>Where a user-supplied meta-information schema lives; without one the built-in 13-field schema is used.</summary>
public sealed class MetaInfoSchemaOptions
{
    public const string SectionName = "WildLong:MetaInfo";

    /// <summary>A <c>.json</c>, <c>.yaml</c> or <c>.yml</c> schema file; null or empty uses <see cref="MetaInfoSchema.Default"/>.</summary>
    public string? SchemaPath { get; set; }
}
