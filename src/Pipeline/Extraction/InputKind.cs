namespace WildLong.Pipeline.Extraction;

/// <summary>What an input blob holds, which decides the reader used to count and slice it.</summary>
public enum InputKind
{
    Queries,
    Documents,
}
