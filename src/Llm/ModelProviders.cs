namespace WildLong.Llm;

/// <summary>
/// The provider names accepted in <c>WildLong:Model:Provider</c>, kept as strings because they come from
/// configuration files and environment variables, where a typo must produce an error that lists the choices.
/// </summary>
public static class ModelProviders
{
    /// <summary>Azure OpenAI: deployment route, <c>api-key</c> or Entra ID (managed identity / DefaultAzureCredential).</summary>
    public const string AzureOpenAI = "azure-openai";

    /// <summary>Any server speaking the OpenAI v1 API (OpenAI, vLLM, Ollama, LiteLLM); Endpoint is its base URL including <c>/v1</c>.</summary>
    public const string OpenAICompatible = "openai-compatible";

    /// <summary>The WildLong simulator; Endpoint is its root address (the client appends <c>/v1</c>).</summary>
    public const string Simulator = "simulator";

    public static IReadOnlyList<string> All { get; } = [AzureOpenAI, OpenAICompatible, Simulator];
}
