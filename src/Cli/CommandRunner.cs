namespace WildLong.Cli;

/// <summary>
/// Runs a command body and turns every failure into one line and an exit code: a <see cref="CliException"/> is a
/// failure the user can act on (its own code); a stop (Ctrl+C) is 130; anything else is a bug — its details go to the
/// log file, the console gets <c>error: …</c> naming that file, and the code is <see cref="ExitCodes.InternalError"/>.
/// No stack trace reaches the console.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(Func<Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body();
        }
        catch (CliException ex)
        {
            var log = ex.ExitCode == ExitCodes.Failed && CliLog.Current is { } current ? $" (log: {current})" : string.Empty;
            CliConsole.Error(ex.Message + log);
            return ex.ExitCode;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && IsStop(ex))
        {
            CliConsole.Error(StoppedMessage("Run the same command again: answers already paid for come from the response cache."));
            return ExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            return ReportUnexpected(ex);
        }
    }

    /// <summary>
    /// True for what a stop raises: a cancellation, or a gRPC call to the engine's sidecar cancelled by it (the
    /// Durable Task client surfaces that as an <c>RpcException</c> with status Cancelled, not as a cancellation).
    /// </summary>
    public static bool IsStop(Exception exception) => exception switch
    {
        OperationCanceledException => true,
        Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled } => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsStop),
        _ => exception.InnerException is { } inner && IsStop(inner),
    };

    /// <summary>The one line every stopped command prints (after <c>error: </c>, exit code 130): <c>stopped. {next step}</c>.</summary>
    public static string StoppedMessage(string next) => "stopped. " + next;

    /// <summary>One line for an unexpected failure; the full exception goes to the log file the line names.</summary>
    public static int ReportUnexpected(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var log = CliLog.WriteFailure(exception);
        var first = CliConsole.OneLine(exception.Message);
        if (first.Length > 300)
        {
            first = first[..300] + "…";
        }

        var where = log is null ? string.Empty : $" (details: {log})";
        CliConsole.Error($"unexpected {exception.GetType().Name}: {first}{where}");
        return ExitCodes.InternalError;
    }
}
