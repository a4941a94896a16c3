using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Runs;

namespace WildLong.Pipeline.Tests.Orchestration;

/// <summary>What the probe's input stages returned, and the progress the probe published at the end.</summary>
public sealed record InputsProbeResult(InputStepResult Extracted, InputStepResult Indexed, RunProgress Progress);
