namespace WildLong.Cli;

/// <summary>What a command needs from its host.</summary>
internal enum CliHostMode
{
    /// <summary>The method in this process (<c>--engine in-process</c>, <c>estimate</c>): no storage, no engine.</summary>
    InProcess,

    /// <summary>Storage, the embedded engine with a worker, and a client: <c>run</c>, <c>resume</c>, <c>worker</c>.</summary>
    Engine,

    /// <summary>Storage and an engine client only: <c>status</c>, <c>graph export</c>.</summary>
    Client,
}
