using DigitalInsurance.Conformance.Support.Browser;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Browser;

public class ChromiumLocatorTests
{
    [Test]
    public void A_configured_path_wins()
    {
        Assert.That(ChromiumLocator.Find("/opt/chrome/chrome", null, _ => true), Is.EqualTo("/opt/chrome/chrome"));
    }

    [Test]
    public void A_configured_path_that_does_not_exist_is_an_error_not_a_fallback()
    {
        var error = Assert.Throws<BrowserFlowException>(() => ChromiumLocator.Find("/opt/missing/chrome", null, path => path == "/usr/bin/chromium"));
        Assert.That(error!.Message, Does.Contain("browserExecutablePath '/opt/missing/chrome' does not exist"));
    }

    [Test]
    public void The_newest_Playwright_managed_browser_comes_before_the_system_one()
    {
        var cache = Directory.CreateTempSubdirectory("ms-playwright-");
        try
        {
            foreach (var revision in new[] { "1190", "1205" }) Directory.CreateDirectory(Path.Combine(cache.FullName, $"chromium-{revision}"));
            var newest = Path.Combine(cache.FullName, "chromium-1205", "chrome-linux", "chrome");
            var older = Path.Combine(cache.FullName, "chromium-1190", "chrome-linux", "chrome");
            var present = new HashSet<string> { older, newest, "/usr/bin/chromium" };

            Assert.That(ChromiumLocator.Find(null, cache.FullName, present.Contains), Is.EqualTo(newest));
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }

    [Test]
    public void System_browsers_are_tried_in_order()
    {
        Assert.That(ChromiumLocator.Find(null, null, path => path is "/usr/bin/chromium-browser" or "/usr/bin/google-chrome"), Is.EqualTo("/usr/bin/chromium-browser"));
    }

    [Test]
    public void No_browser_at_all_says_how_to_install_one()
    {
        var error = Assert.Throws<BrowserFlowException>(() => ChromiumLocator.Find(null, null, _ => false));
        Assert.That(error!.Message, Is.EqualTo("No Chromium found: install it with `apt-get install -y chromium` or set browserExecutablePath / DIC_BROWSER_EXECUTABLE_PATH."));
    }
}
