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
    public void No_browser_on_Linux_leaves_it_to_Playwrights_own_resolution()
    {
        Assert.That(ChromiumLocator.Find(null, null, _ => false), Is.Null);
    }

    [TestCase(HostOs.MacOs, "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")]
    [TestCase(HostOs.Windows, @"C:\Program Files\Google\Chrome\Application\chrome.exe")]
    public void Chrome_where_its_installer_puts_it_on_macOS_and_Windows(HostOs os, string installed)
    {
        var environment = new Dictionary<string, string?> { ["ProgramFiles"] = @"C:\Program Files", ["LOCALAPPDATA"] = @"C:\Users\qa\AppData\Local" };
        var installedPath = installed.Replace('\\', Path.DirectorySeparatorChar);

        var found = ChromiumLocator.Find(null, null, path => path.Replace('\\', Path.DirectorySeparatorChar) == installedPath, os, name => environment.GetValueOrDefault(name));

        Assert.That(found?.Replace('\\', Path.DirectorySeparatorChar), Is.EqualTo(installedPath));
    }

    [TestCase(HostOs.MacOs)]
    [TestCase(HostOs.Windows)]
    public void Without_a_system_browser_macOS_and_Windows_leave_it_to_Playwright_and_never_look_in_Linux_folders(HostOs os)
    {
        var probed = new List<string>();

        var found = ChromiumLocator.Find(null, "/root/.cache/ms-playwright", path => { probed.Add(path); return path.StartsWith("/usr/bin/"); }, os, _ => null);

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.Null);
            Assert.That(probed, Has.None.StartWith("/usr/bin/"));
        });
    }

    [Test]
    public void On_Linux_the_error_names_apt_get_and_Playwrights_install_command()
    {
        var message = ChromiumLocator.NotFoundMessage(HostOs.Linux, "Executable doesn't exist at /root/.cache/ms-playwright/chromium-1200/chrome-linux/chrome");

        Assert.Multiple(() =>
        {
            Assert.That(message, Does.StartWith("No Chromium found: none configured, none installed where Linux keeps it, and Playwright's own Chromium did not start (Executable doesn't exist"));
            Assert.That(message, Does.Contain("`apt-get install -y chromium`"));
            Assert.That(message, Does.Contain("`pwsh bin/Debug/net10.0/playwright.ps1 install chromium`"));
            Assert.That(message, Does.Contain("browserExecutablePath / DIC_BROWSER_EXECUTABLE_PATH"));
        });
    }

    [TestCase(HostOs.MacOs, "macOS")]
    [TestCase(HostOs.Windows, "Windows")]
    public void On_macOS_and_Windows_the_error_names_Playwrights_install_command_and_no_apt_get(HostOs os, string name)
    {
        var message = ChromiumLocator.NotFoundMessage(os, "Executable doesn't exist");

        Assert.Multiple(() =>
        {
            Assert.That(message, Does.Contain($"none installed where {name} keeps it"));
            Assert.That(message, Does.Contain("`pwsh bin/Debug/net10.0/playwright.ps1 install chromium`"));
            Assert.That(message, Does.Not.Contain("apt-get"));
        });
    }
}
