namespace WildLong.Development.Azurite;

/// <summary>
/// Where Azurite comes from and where it runs, so local runs and tests get real Blob/Queue/Table semantics
/// (conditional writes, leases, listings) without an Azure subscription. Defaults reuse an Azurite already
/// listening on the usual ports, and otherwise start one from the repository's pinned copy on free ports.
/// </summary>
public sealed class AzuriteOptions
{
    public const string SectionName = "WildLong:Azurite";

    /// <summary>Loopback host Azurite listens on (and where a running instance is looked for).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Blob port of an already running Azurite to reuse (Azurite's default 10000; queue and table on the next two).</summary>
    public int ExistingBlobPort { get; set; } = 10_000;

    /// <summary>Reuse an Azurite that already answers on <see cref="ExistingBlobPort"/>; false always starts a private one.</summary>
    public bool ReuseRunningInstance { get; set; } = true;

    /// <summary>Repository root (the folder holding WildLong.sln); found by walking up from the app and working folders when unset.</summary>
    public string? RepositoryRoot { get; set; }

    /// <summary>Folder with the pinned package.json and package-lock.json; defaults to <c>tools/azurite</c> under the repository root.</summary>
    public string? ToolDirectory { get; set; }

    /// <summary>Where Azurite keeps its data (<c>--location</c>); a fresh temporary folder, deleted on dispose, when unset.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The Node.js executable.</summary>
    public string NodeExecutable { get; set; } = "node";

    /// <summary>The npm executable (<c>npm.cmd</c> is used on Windows when this is left as <c>npm</c>).</summary>
    public string NpmExecutable { get; set; } = "npm";

    /// <summary>How long to wait for Azurite to listen and answer.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long <c>npm ci</c> may take when the pinned copy is not installed yet.</summary>
    public TimeSpan InstallTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
