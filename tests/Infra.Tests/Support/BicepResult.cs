namespace WildLong.Infra.Tests.Support;

/// <summary>What one Bicep CLI invocation printed and returned, kept whole so a failing test can show it.</summary>
public sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() =>
        $"exit code {ExitCode}{Environment.NewLine}stderr:{Environment.NewLine}{StandardError}";
}
