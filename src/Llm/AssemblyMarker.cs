namespace WildLong.Llm;

/// <summary>Marks the assembly; replaced as the model-access pipeline grows.</summary>
internal static class AssemblyMarker
{
}
