namespace WildLong.Core.Tests.Reports;

/// <summary>
/// A fact that needs the system's headless Chromium (Debian's <c>chromium</c> package; <c>.ci/run</c> installs it). Outside
/// CI it is skipped with the reason when the browser is missing; in CI (<c>CI=true</c>) it always runs, so a missing
/// browser fails instead of hiding the test.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "Chromium is not installed (apt-get install -y chromium); CI installs it and runs this test.";
        }
    }
}
