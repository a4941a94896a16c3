namespace WildLong.Simulator;

/// <summary>A consistent copy of the simulator's counters: run totals plus the most recent minutes, oldest first.</summary>
public sealed record SimulatorMetricsSnapshot(SimulatorCounters Totals, IReadOnlyList<SimulatorCounters> PerMinute);
