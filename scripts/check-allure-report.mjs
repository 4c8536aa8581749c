// Checks an Allure 3 report the way a QA engineer would meet it: served over loopback HTTP (the "awesome" report
// fetches its data, so file:// shows only a spinner), opened in headless Chromium, every test of the report listed by
// its name, outline titles with their example values, and a trend once the history holds earlier runs. Saves a
// screenshot of the overview and of one test's details (steps, attachments).
//
// Usage: node scripts/check-allure-report.mjs [report-dir=allure-report] [screenshot=TestResults/allure-report.png]
// A missing report is generated first (`allure generate`, results from ALLURE_RESULTS_DIR or allurerc.mjs).
// Environment: CHROMIUM (default /usr/bin/chromium); MIN_HISTORY_RUNS (default 2): how many runs the trend must
// show (set 1 for the first report of a fresh clone).
//
// More checks: add an entry to `reportChecks` below: { name, check: async (page) => problem text or null }.
import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

const reportDir = resolve(process.argv[2] || "allure-report");
const screenshot = resolve(process.argv[3] || "TestResults/allure-report.png");
const detailScreenshot = screenshot.replace(/(\.png)?$/i, "-test.png");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const minHistoryRuns = Number(process.env.MIN_HISTORY_RUNS || "2");

const fail = (message) => {
  console.error(`Allure report check failed: ${message}`);
  process.exit(1);
};

if (!existsSync(join(reportDir, "index.html"))) {
  console.log(`No report in ${reportDir}; generating it (npx allure generate -o ${reportDir}).`);
  try {
    execFileSync("npx", ["allure", "generate", "-o", reportDir], { stdio: "inherit" });
  } catch {
    fail("`allure generate` failed; run `npm ci` first and check ALLURE_RESULTS_DIR.");
  }
}
if (!existsSync(executablePath)) fail(`no Chromium at ${executablePath}; install chromium or set CHROMIUM.`);

const resultsFolder = join(reportDir, "data", "test-results");
const expected = existsSync(resultsFolder)
  ? [...new Set(readdirSync(resultsFolder).filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(readFileSync(join(resultsFolder, f), "utf8")).name).filter(Boolean))]
  : [];
if (expected.length === 0) fail(`${reportDir} lists no tests: were allure-results written (ALLURE_RESULTS_DIR)?`);

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
  ".svg": "image/svg+xml", ".png": "image/png", ".txt": "text/plain", ".woff2": "font/woff2", ".ico": "image/x-icon" };
const server = createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
  const file = normalize(join(reportDir, path.endsWith("/") ? path + "index.html" : path));
  if (!file.startsWith(reportDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
  createReadStream(file).pipe(response);
});
await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
const url = `http://127.0.0.1:${server.address().port}/index.html`;

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
// The tree starts with its groups (parentSuite, suite, subSuite) collapsed: open every closed group, level by level.
async function expandTree(page) {
  await page.locator('[data-testid="tree-section-title"], [data-testid="tree-leaf"]').first()
    .waitFor({ timeout: 30_000 })
    .catch(() => fail(`the report at ${url} showed no test tree within 30 s.`));
  for (let level = 0; level < 10; level++) {
    const closed = page.locator('[data-testid="tree-arrow"]:not(:has([class*="--opened"]))');
    const count = await closed.count();
    if (count === 0) return;
    for (let i = count - 1; i >= 0; i--) await closed.nth(i).click();
    await page.waitForTimeout(300);
  }
}

// The report's own data: the test results and the charts (status dynamics = one point per run in the history).
const charts = existsSync(join(reportDir, "widgets", "charts.json"))
  ? Object.values(JSON.parse(readFileSync(join(reportDir, "widgets", "charts.json"), "utf8")).general || {})
  : [];
const runsInTrend = (charts.find((c) => c.type === "statusDynamics")?.data || []).length;

// Each check returns null when it holds, else what is wrong. They run on the overview page, tree expanded.
const reportChecks = [
  {
    name: "each @req tag links to its source",
    check: async (page) => {
      // Harness rules (harness-*, fhir-response-time) have no published source: the catalogue gives them no URL.
      const results = readdirSync(resultsFolder).filter((f) => f.endsWith(".json"))
        .map((f) => JSON.parse(readFileSync(join(resultsFolder, f), "utf8")));
      const unlinked = [];
      let linked = null;
      for (const result of results) {
        const ids = (result.labels || []).filter((l) => l.name === "tag" && /^req:/.test(l.value) && !/^req:harness-/.test(l.value))
          .map((l) => l.value.slice(4));
        const links = result.links || [];
        for (const id of ids) {
          const link = links.find((l) => (l.name || "").startsWith(`${id}:`) && /^https?:\/\//.test(l.url || ""));
          if (!link) unlinked.push(`${result.name} (${id})`);
          else linked ??= { test: result.name, id, url: link.url };
        }
      }
      if (unlinked.length > 0) return `@req tags without a link to their source: ${unlinked.slice(0, 10).join("; ")}`;
      if (!linked) return "no test carries a @req tag";
      // In the page: the test's detail view shows the link, pointing at the source.
      await page.getByText(linked.test, { exact: true }).first().click();
      const anchor = page.locator(`a[href="${linked.url}"]`).first();
      if (!(await anchor.waitFor({ timeout: 15_000 }).then(() => true, () => false)))
        return `the detail view of "${linked.test}" shows no link to ${linked.url} for [${linked.id}]`;
      await page.screenshot({ path: screenshot.replace(/(\.png)?$/i, "-links.png"), fullPage: true });
      await page.goto(url);
      await expandTree(page);
      return null;
    },
  },
  {
    name: "outline titles carry their example values",
    check: async (page) => {
      const placeholders = expected.filter((name) => /<[^<>\s]+>/.test(name));
      if (placeholders.length > 0) return `titles with a placeholder: ${placeholders.join("; ")}`;
      const shown = await page.locator('[data-testid="tree-leaf"]').allInnerTexts();
      const inTree = shown.filter((text) => /<[^<>\s]+>/.test(text));
      return inTree.length > 0 ? `the tree shows placeholders: ${inTree.join("; ")}` : null;
    },
  },
  {
    name: `a trend over at least ${minHistoryRuns} run(s)`,
    check: async (page) => {
      if (runsInTrend < minHistoryRuns)
        return `the status dynamics chart has ${runsInTrend} run(s); generate the report after each run (npm run report keeps allure-history.jsonl)`;
      // The charts section of the awesome report: "Status dynamics" plots one point per run.
      await page.goto(url.replace("index.html", "index.html#/charts"));
      const chart = page.getByText("Status dynamics", { exact: true }).first();
      if (!(await chart.waitFor({ timeout: 30_000 }).then(() => true, () => false)))
        return "the charts section shows no \"Status dynamics\" chart";
      await page.screenshot({ path: screenshot.replace(/(\.png)?$/i, "-trend.png"), fullPage: true });
      return null;
    },
  },
];

let exitCode = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  await expandTree(page);
  await page.getByText(expected[0], { exact: true }).first().waitFor({ timeout: 30_000 })
    .catch(() => fail(`the report at ${url} did not show "${expected[0]}" within 30 s.`));
  const missing = [];
  for (const name of expected)
    if ((await page.getByText(name, { exact: true }).count()) === 0) missing.push(name);
  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });

  await page.getByText(expected[0], { exact: true }).first().click();
  await page.waitForTimeout(1_000);
  await page.screenshot({ path: detailScreenshot, fullPage: true });

  if (missing.length > 0) {
    exitCode = 1;
    console.error(`Allure report check failed: ${missing.length} of ${expected.length} tests not listed: ${missing.join("; ")}`);
  } else {
    console.log(`Allure report lists all ${expected.length} tests. Screenshots: ${screenshot}, ${detailScreenshot}`);
  }

  await page.goto(url);
  await expandTree(page);
  for (const { name, check } of reportChecks) {
    const problem = await check(page);
    if (problem) {
      exitCode = 1;
      console.error(`Allure report check failed: ${name}: ${problem}`);
    } else {
      console.log(`Allure report: ${name}.`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(exitCode);
