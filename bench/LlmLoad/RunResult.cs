using WildLong.Simulator;

namespace WildLong.Bench.LlmLoad;

/// <summary>What one client did against one simulated deployment during one timed run.</summary>
public sealed record RunResult(
    string Client,
    TimeSpan Issuing,
    TimeSpan Total,
    long Started,
    long Written,
    long Failed,
    long Lost,
    SimulatorCounters AtStop,
    SimulatorCounters AtEnd,
    IReadOnlyDictionary<string, long> FailureReasons,
    int Tpm,
    (TimeSpan At, long TokensAdmitted)? FirstMinute,
    long PromptTokensWritten)
{
    /// <summary>As <see cref="QuotaUse"/>, after the first minute (start-up excluded); null for runs of a minute or less.</summary>
    public double? SteadyQuotaUse => FirstMinute is { } m && Issuing > m.At
        ? (AtStop.TokensAdmitted - m.TokensAdmitted) / (Issuing - m.At).TotalMinutes / Tpm
        : null;

    /// <summary>Prompt tokens of the calls that were written (answered and accepted), per minute of the whole run.</summary>
    public double PromptTokensWrittenPerMinute => PromptTokensWritten / Total.TotalMinutes;

    /// <summary>Tokens the deployment admitted per minute while the run was issuing calls, as a share of TPM.</summary>
    public double QuotaUse => AtStop.TokensAdmitted / Issuing.TotalMinutes / Tpm;

    /// <summary>Share of all requests the server answered with 429.</summary>
    public double ThrottledShare => AtEnd.Requests == 0 ? 0 : (double)AtEnd.Throttled / AtEnd.Requests;
}
