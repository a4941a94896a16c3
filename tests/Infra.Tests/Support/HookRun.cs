namespace WildLong.Infra.Tests.Support;

/// <summary>One run of the posix postdeploy hook against a stub <c>az</c>: its exit code, output and the az calls.</summary>
public sealed record HookRun(int ExitCode, string StandardOutput, string StandardError, IReadOnlyList<string> AzCalls)
{
    public override string ToString() =>
        $"exit code {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{StandardOutput}{Environment.NewLine}" +
        $"stderr:{Environment.NewLine}{StandardError}{Environment.NewLine}az calls:{Environment.NewLine}{string.Join(Environment.NewLine, AzCalls)}";
}
