namespace WildLong.Cli;

/// <summary>
/// The process exit codes, so scripts can tell a bad configuration from bad input, a dead model endpoint, a short
/// dataset or an interrupted run. README.md lists them.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The run failed or produced no pairs (the line says why).</summary>
    public const int Failed = 1;

    /// <summary>A bad option, setting, configuration file, unknown flag, or an unwritable workspace or output folder; nothing was started.</summary>
    public const int Configuration = 2;

    public const int InputNotFound = 3;

    /// <summary>The model endpoint did not answer the reachability probe; nothing was started.</summary>
    public const int ModelUnreachable = 4;

    /// <summary>The dataset was written but holds fewer pairs than asked (the line says why).</summary>
    public const int FewerPairs = 5;

    /// <summary>Another live wildlong process holds the workspace (<see cref="WorkspaceLock"/>); nothing was started. Try again later or use --wait-for-lock.</summary>
    public const int WorkspaceBusy = 6;

    /// <summary>An unexpected failure (a bug): one line on the console, the details in the log file it names.</summary>
    public const int InternalError = 70;

    public const int Cancelled = 130;
}
