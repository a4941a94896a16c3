namespace WildLong.Storage;

/// <summary>Marks the assembly; replaced as the storage layer grows.</summary>
internal static class AssemblyMarker
{
}
