namespace WildLong.Core.MetaInfo;

/// <summary>
/// The shape of one meta-information field. It decides both the JSON type offered to the model and how the
/// answer is checked and normalized, so a schema file can add a field without new code.
/// </summary>
public enum MetaInfoFieldKind
{
    /// <summary>One short free-text value.</summary>
    String,

    /// <summary>Several short free-text values, at most <see cref="MetaInfoField.MaxItems"/>.</summary>
    StringList,

    /// <summary>A yes/no answer, kept as "true" or "false".</summary>
    Boolean,

    /// <summary>One value from a fixed list (<see cref="MetaInfoField.Values"/>).</summary>
    Enum,
}
