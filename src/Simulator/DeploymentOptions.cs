namespace WildLong.Simulator;

/// <summary>
/// One simulated model deployment with its own quota, because Azure OpenAI meters tokens and requests per
/// deployment and a pipeline that spreads stages over deployments must see each limit separately.
/// </summary>
public sealed class DeploymentOptions
{
    public DeploymentOptions()
    {
    }

    public DeploymentOptions(string name, int tokensPerMinute = 200_000, int requestsPerMinute = 1_200)
    {
        Name = name;
        TokensPerMinute = tokensPerMinute;
        RequestsPerMinute = requestsPerMinute;
    }

    /// <summary>Deployment name on the Azure route; the <c>model</c> field on the v1 routes.</summary>
    public string Name { get; set; } = "gpt-4o-mini";

    /// <summary>Tokens per minute (TPM). Azure grants 6 requests per minute for every 1,000 TPM by default.</summary>
    public int TokensPerMinute { get; set; } = 200_000;

    /// <summary>Requests per minute (RPM).</summary>
    public int RequestsPerMinute { get; set; } = 1_200;
}
