// Allure 3 configuration, read by `npx allure generate` / `npm run report` from the repository root.
// The results folder comes from ALLURE_RESULTS_DIR (default: the conformance suite's test output, Debug build).
// Categories are those the harness wrote into the results (categories.json): one definition, in C#
// (support/reporting/allure/CiExecutor.cs, AllureCategories), used by Allure 2 and Allure 3 alike.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const resultsDir = process.env.ALLURE_RESULTS_DIR || "./bin/Debug/net10.0/allure-results";
// History (the trend and each test's earlier outcomes) lives outside allure-report, which every generate replaces:
// each `npm run report` appends this run to it. CI keeps the file between runs (docs/ci/).
const historyPath = process.env.ALLURE_HISTORY_PATH || "./allure-history.jsonl";
const categoriesFile = join(resultsDir, "categories.json");
const categories = existsSync(categoriesFile) ? JSON.parse(readFileSync(categoriesFile, "utf8")) : undefined;

export default {
  name: "Digital Insurance Card conformance",
  output: process.env.ALLURE_REPORT_DIR || "./allure-report",
  resultsDir,
  historyPath,
  ...(categories ? { categories } : {}),
  plugins: {
    awesome: {
      options: {
        reportName: "Digital Insurance Card conformance",
        singleFile: process.env.ALLURE_SINGLE_FILE === "true",
        groupBy: ["parentSuite", "suite", "subSuite"],
      },
    },
  },
};
