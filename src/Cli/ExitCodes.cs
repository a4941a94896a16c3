namespace WildLong.Cli;

/// <summary>The process exit codes, so scripts can tell a bad configuration from bad input or an interrupted run.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int Configuration = 2;
    public const int InputNotFound = 3;
    public const int Cancelled = 130;
}
