namespace WildLong.Core.Runner;

/// <summary>
/// What one round does: plan the first <paramref name="WantedPaths"/> paths of the (prefix-stable) sampling plan,
/// of which the new ones become multi-document tasks in <paramref name="MultiDocumentShare"/> of cases (null: the
/// run's target share, used in the first round, before anything is known about yields).
/// </summary>
public sealed record RoundPlan(int Round, int WantedPaths, double? MultiDocumentShare);
