namespace WildLong.Development.Azurite;

/// <summary>
/// Azurite could not be installed or started (Node.js or npm missing, <c>npm ci</c> failed, the process exited or
/// never answered). Carries a message that says what to install or look at, instead of a bare process error.
/// </summary>
public sealed class AzuriteLaunchException : Exception
{
    public AzuriteLaunchException()
    {
    }

    public AzuriteLaunchException(string message)
        : base(message)
    {
    }

    public AzuriteLaunchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
