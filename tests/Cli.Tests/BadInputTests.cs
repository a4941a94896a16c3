using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace WildLong.Cli.Tests;

/// <summary>
/// The bad-input table of issue 13: every bad option, setting, file and endpoint gives exactly one line
/// (<c>error: …</c>, no stack trace, no type names), its documented exit code, and loses nothing — checked before
/// anything starts, so no Azurite, no simulator, no dataset, no cache entry, and an existing file named by --out is
/// left as it was. Each case ends in milliseconds.
/// </summary>
[Collection("console")]
public sealed class BadInputTests : IDisposable
{
    private readonly string temp = Path.Combine(Path.GetTempPath(), "wildlong-cli-bad-input", Guid.NewGuid().ToString("N"));

    public BadInputTests()
    {
        Directory.CreateDirectory(temp);
        File.WriteAllText(Path.Combine(temp, "existing.txt"), "keep me");
        File.WriteAllText(Path.Combine(temp, "bad.json"), "{ \"WildLong\": { \"Run\": ");
        File.WriteAllLines(Path.Combine(temp, "chat.jsonl"), ["{\"id\":\"a\",\"text\":\"hi there\"}", "{\"id\":\"b\",\"text\":\"what is 2+2?\"}", "{\"id\":\"c\",\"text\":\"tell me a joke\"}"]);
        File.WriteAllText(Path.Combine(temp, "config.json"), JsonSerializer.Serialize(new
        {
            WildLong = new { Workspace = Path.Combine(temp, "workspace"), Llm = new { Cache = new { Directory = Path.Combine(temp, "cache") } } },
        }));
        File.WriteAllText(Path.Combine(temp, "workspace-is-a-file.json"), JsonSerializer.Serialize(new
        {
            WildLong = new { Workspace = Path.Combine(temp, "existing.txt", "ws"), Llm = new { Cache = new { Directory = Path.Combine(temp, "cache") } } },
        }));
        File.WriteAllText(Path.Combine(temp, "dead-endpoint.json"), JsonSerializer.Serialize(new
        {
            WildLong = new
            {
                Workspace = Path.Combine(temp, "workspace"),
                Llm = new { Cache = new { Directory = Path.Combine(temp, "cache") } },
                Model = new { Provider = "openai-compatible", Endpoint = $"http://127.0.0.1:{ClosedPort()}/v1", ApiKey = "none" },
            },
        }));
    }

    /// <summary>Name → (arguments, environment, exit code, what the line says). {t} is the test folder; {q}/{d} the sample inputs.</summary>
    private static readonly Dictionary<string, (string Args, string? Env, int Code, string Message)> Cases = new()
    {
        ["pairs zero"] = ("run --sample --pairs 0 --config {t}/config.json", null, 2, "--pairs takes a whole number of at least 1 (was '0')"),
        ["pairs negative"] = ("run --sample --pairs -1 --config {t}/config.json", null, 2, "--pairs takes a whole number of at least 1 (was '-1')"),
        ["pairs not a number"] = ("run --sample --pairs many --config {t}/config.json", null, 2, "--pairs takes a whole number of at least 1 (was 'many')"),
        ["pairs too large"] = ("run --sample --pairs 99999999999 --config {t}/config.json", null, 2, "--pairs takes a whole number"),
        ["share above one"] = ("run --sample --multi-doc-share 1.5 --config {t}/config.json", null, 2, "--multi-doc-share takes a number from 0 to 1 (was '1.5')"),
        ["share negative"] = ("run --sample --multi-doc-share -0.1 --config {t}/config.json", null, 2, "--multi-doc-share takes a number from 0 to 1 (was '-0.1')"),
        ["seed negative"] = ("run --sample --seed -5 --config {t}/config.json", null, 2, "--seed takes a whole number of 0 or more (was '-5')"),
        ["unknown flag"] = ("run --sample --pears 3 --config {t}/config.json", null, 2, "Unrecognized command or argument '--pears'"),
        ["unknown command"] = ("runn --sample", null, 2, "Unrecognized command or argument 'runn'"),
        ["unknown engine"] = ("run --sample --engine sqlite --config {t}/config.json", null, 2, "Argument 'sqlite' not recognized"),
        ["pairs from environment"] = ("run --queries {q} --documents {d} --config {t}/config.json", "WILDLONG__RUN__PAIRS=-3", 2, "WildLong:Run:Pairs must be positive"),
        ["share from environment"] = ("run --queries {q} --documents {d} --config {t}/config.json", "WILDLONG__GENERATION__MULTIDOCUMENTSHARE=2", 2, "MultiDocumentShare must be between 0 and 1"),
        ["tpm not a number"] = ("run --sample --config {t}/config.json", "WILDLONG__MODEL__TPM=fast", 2, "WildLong:Model:Tpm is 'fast', which is not a whole number"),
        ["timeout not a duration"] = ("run --sample --config {t}/config.json", "WILDLONG__MODEL__REQUESTTIMEOUT=soon", 2, "WildLong:Model:RequestTimeout is 'soon'"),
        ["unknown provider"] = ("run --sample --llm gemini --config {t}/config.json", null, 2, "WildLong:Model:Provider must be one of"),
        ["config not json"] = ("run --sample --config {t}/bad.json", null, 2, "configuration error: Failed to load configuration from file"),
        ["config missing"] = ("run --sample --config {t}/nope.json", null, 3, "configuration file not found"),
        ["workspace not writable"] = ("run --sample --config {t}/workspace-is-a-file.json", null, 2, "the workspace (WildLong:Workspace)"),
        ["out is an existing file"] = ("run --sample --out {t}/existing.txt --config {t}/config.json", null, 2, "is an existing file, not a folder"),
        ["out not writable"] = ("run --sample --out {t}/existing.txt/out --config {t}/config.json", null, 2, "is not writable"),
        ["queries missing"] = ("run --queries {t}/nope.jsonl --documents {d} --config {t}/config.json", null, 3, "input not found"),
        ["no inputs"] = ("run --config {t}/config.json", null, 2, "give --queries and --documents, or --sample"),
        ["dead endpoint"] = ("run --queries {q} --documents {d} --engine in-process --config {t}/dead-endpoint.json", null, 4, "does not answer"),
        ["dead endpoint durable"] = ("run --queries {q} --documents {d} --config {t}/dead-endpoint.json", null, 4, "does not answer"),
        ["estimate pairs zero"] = ("estimate --sample --pairs 0 --config {t}/config.json", null, 2, "--pairs takes a whole number of at least 1"),
        ["estimate no usable queries"] = ("estimate --queries {t}/chat.jsonl --documents {d} --config {t}/config.json", null, 2, "nothing to estimate: 0 usable queries"),
        ["estimate provider without endpoint"] = ("estimate --sample --llm azure-openai --config {t}/config.json", null, 2, "WildLong:Model:Endpoint"),
        ["graph export without type"] = ("graph export --config {t}/config.json", null, 2, "give --doc-type <type>"),
        ["graph export bad format"] = ("graph export --doc-type legal --format xml --config {t}/config.json", null, 2, "Argument 'xml' not recognized"),
        ["status two ids"] = ("status run-a run-b --config {t}/config.json", null, 2, "Unrecognized command or argument 'run-b'"),
        ["resume without id"] = ("resume --config {t}/config.json", null, 2, "Required argument missing"),
        ["batch in process"] = ("run --sample --batch --engine in-process --config {t}/config.json", null, 2, "--batch needs a durable engine"),
        ["batch folder without folder"] = ("run --sample --batch --config {t}/config.json", "WILDLONG__LLM__BATCH__PROVIDER=batch-folder", 2, "WildLong:Llm:Batch:Folder is required"),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Bad_input_gives_one_line_its_exit_code_and_starts_nothing(string name)
    {
        var (args, env, code, message) = Cases[name];
        var sample = SampleData.Locate();
        var argv = args.Split(' ').Select(a => a.Replace("{t}", temp, StringComparison.Ordinal).Replace("{q}", sample.Queries, StringComparison.Ordinal).Replace("{d}", sample.Documents, StringComparison.Ordinal)).ToArray();
        var (variable, value) = env is null ? (null, null) : (env[..env.IndexOf('=', StringComparison.Ordinal)], env[(env.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        if (variable is not null)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }

        (int Code, string Output) result;
        try
        {
            result = await CliInvoker.InvokeAsync(argv);
        }
        finally
        {
            if (variable is not null)
            {
                Environment.SetEnvironmentVariable(variable, null);
            }
        }

        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(result.Code == code, $"exit {result.Code}, expected {code}: {result.Output}");
        Assert.True(lines.Length == 1, $"expected one line, got: {result.Output}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(message, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("System.", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", lines[0].Replace(" at least", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        // Nothing started, nothing written, nothing lost.
        Assert.False(Directory.Exists(Path.Combine(temp, "workspace", "azurite")), "Azurite was started");
        Assert.False(Directory.Exists(Path.Combine(temp, "cache")) && Directory.EnumerateFiles(Path.Combine(temp, "cache"), "*", SearchOption.AllDirectories).Any(), "a model answer was cached");
        Assert.Empty(Directory.GetFiles(temp, "pairs.jsonl", SearchOption.AllDirectories));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(temp, "existing.txt")));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(temp, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
