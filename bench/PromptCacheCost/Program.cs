using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using Microsoft.Extensions.AI;
using OpenAI;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Prompts;
using WildLong.Simulator;

// Billed input tokens per pair under the simulator's Azure prompt-cache model (≥ 1,024-token identical prefix seen
// in the last 5 minutes, cached in 128-token steps, cached tokens billed at half price). Each pair makes three calls
// about its document (adaptation, answer, judge). "wildlong": the document first and byte-identical in every call
// (DocumentContext), calls about one document grouped. "naive": stage prompt first, document after the instruction,
// pairs interleaved across documents. Usage: [documents.jsonl] [documents] [pairs-per-document]
var documentsPath = args.ElementAtOrDefault(0) ?? Path.Combine("samples", "documents.jsonl");
var documentCount = int.Parse(args.ElementAtOrDefault(1) ?? "12", CultureInfo.InvariantCulture);
var pairsPerDocument = int.Parse(args.ElementAtOrDefault(2) ?? "4", CultureInfo.InvariantCulture);
const decimal CachedPriceRatio = 0.5m;

var documents = new List<LongDocument>();
await foreach (var result in new JsonlDocumentReader(Microsoft.Extensions.Options.Options.Create(new DocumentOptions())).ReadAsync(documentsPath))
{
    if (result.IsSuccess && documents.Count < documentCount)
    {
        documents.Add(result.Value!);
    }
}

string[] stageNames = [InstructionAdapter.PromptName, ResponseGenerator.PromptName, QualityJudge.PromptName];
var stages = stageNames.Select(PromptLibrary.Default.Get).ToArray();
var work = documents.SelectMany(d => Enumerable.Range(0, pairsPerDocument).Select(i => (Document: d, Instruction: $"Question {i}: what does the document say about its main subject, part {i}?"))).ToList();

string[] layouts = ["wildlong", "naive"];
foreach (var layout in layouts)
{
    var options = new SimulatorOptions { MetricsLogIntervalSeconds = 0, Deployments = [new DeploymentOptions("gpt-4o-mini", 100_000_000, 1_000_000)] };
    await using var simulator = await SimulatorServer.StartAsync(options, CancellationToken.None);
    var chat = new OpenAIClient(new ApiKeyCredential(simulator.ApiKey), new OpenAIClientOptions { Endpoint = new Uri(simulator.BaseAddress, "v1"), RetryPolicy = new ClientRetryPolicy(0) })
        .GetChatClient("gpt-4o-mini").AsIChatClient();
    var order = layout == "wildlong"
        ? work
        : [.. work.Select((w, i) => (w, i)).OrderBy(x => x.i % pairsPerDocument).ThenBy(x => x.i).Select(x => x.w)];
    long input = 0, cached = 0;
    foreach (var (document, instruction) in order)
    {
        foreach (var prompt in stages)
        {
            var values = new Dictionary<string, string>
            {
                ["reference"] = "the document", ["instruction"] = instruction, ["response"] = "A short answer.", ["multi_document_rule"] = string.Empty,
            };
            var messages = layout == "wildlong"
                ? DocumentContext.For(document).ComposeMessages(prompt, values)
                : [new ChatMessage(ChatRole.System, prompt.RenderSystem(values)), new ChatMessage(ChatRole.User, prompt.RenderUser(values) + "\n\n" + DocumentContext.For(document).Text)];
            var response = await chat.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 64 });
            input += response.Usage?.InputTokenCount ?? 0;
            cached += response.Usage?.CachedInputTokenCount ?? 0;
        }
    }

    var pairs = work.Count;
    var billed = (input - cached) + (cached * CachedPriceRatio);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{layout,-9} pairs {pairs,4}  input/pair {input / pairs,8:N0}  cached/pair {cached / pairs,8:N0}  billed input/pair {billed / pairs,10:N0}"));
}
