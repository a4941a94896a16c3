namespace WildLong.Simulator;

/// <summary>
/// The failures the simulator can inject, named so metrics and tests can tell them apart; each one exercises a
/// different recovery path in clients (retry, timeout, parse failure, structured-output retry).
/// </summary>
public enum FaultKind
{
    None = 0,
    ServerError,
    ServiceUnavailable,
    ConnectionReset,
    Hang,
    MalformedJson,
    TruncatedContent,
    SchemaViolation,
}
