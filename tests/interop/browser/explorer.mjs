// Opens a node's explorer page in Debian's chromium (headless, through playwright-core) and checks it as a person
// would see it. Driven by tests/Rollup.Node.Tests/Explorer/ExplorerPageTests.cs; also takes the README's screenshot.
//
//   node tests/interop/browser/explorer.mjs --url http://127.0.0.1:8080/ [--markets BTC-PERP,ETH-PERP,SOL-PERP]
//        [--expect-trades] [--screenshot docs/explorer.png] [--account 0x...] [--timeout-ms 60000]
//
// It fails (exit 1, the reason on stderr) on any console error or uncaught page error, or when the page does not
// list the given markets before the deadline. With --expect-trades it then prints {"ready":true}, reads one JSON line
// from stdin, {"market":1,"price":"…","size":"…","restingBid":"…"} (integers as the API gives them), and waits until
// that trade is in the page's trades table, shown live from the node's trade stream, the resting bid in its book
// and depth chart, and a final batch in its batch list. Every wait polls the DOM against a deadline.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

const { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    markets: { type: "string", default: "" },
    "expect-trades": { type: "boolean", default: false },
    screenshot: { type: "string" },
    account: { type: "string" },
    "timeout-ms": { type: "string", default: "60000" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
  },
});
if (!args.url) fail("--url is required");
const timeout = Number(args["timeout-ms"]);

function fail(reason) {
  process.stderr.write(`explorer: ${reason}\n`);
  process.exit(1);
}

const say = (message) => process.stdout.write(JSON.stringify(message) + "\n");

const problems = [];
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "rollup-chromium-"));
// A persistent context on a fresh profile directory: nothing from another run, removed at the end. The flags keep
// chromium from calling home (a closed network refuses those connections, which would read as page errors).
const context = await chromium.launchPersistentContext(profile, {
  executablePath: args.chromium,
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions"],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    // A stream aborted by the page itself (leaving a market) is not a failure.
    if (request.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  const check = () => {
    if (problems.length > 0) throw new Error(problems.join("\n"));
  };

  await page.goto(args.url, { waitUntil: "load", timeout });
  await page.waitForSelector("body[data-ready=true]", { timeout });
  const markets = args.markets ? args.markets.split(",") : [];
  for (const symbol of markets) {
    await page.waitForSelector(`#markets tr[data-symbol="${symbol}"]`, { timeout });
  }
  await page.waitForSelector("#blocks tbody tr", { timeout });
  await page.waitForSelector("#live.status-on", { timeout });
  check();

  if (args["expect-trades"]) {
    say({ ready: true, markets });
    const lines = readline.createInterface({ input: process.stdin });
    const line = await new Promise((resolve) => lines.once("line", resolve));
    lines.close(); // an open stdin would keep this process alive after its work
    const trade = JSON.parse(line);
    await page.click(`#markets tr[data-market="${trade.market}"]`);
    await page.waitForSelector(`#trades tr[data-price="${trade.price}"][data-size="${trade.size}"]`, { timeout });
    // The book and depth chart follow the blocks: the resting orders the test left are drawn.
    if (trade.restingBid) await page.waitForSelector(`#book tr[data-bid="${trade.restingBid}"]`, { timeout });
    await page.waitForSelector("#depth path.bids", { timeout });
    // Batches with their L1 status: on the devnet a batch is final about ten seconds after its commitment.
    await page.waitForSelector('#batches tr[data-status="final"]', { timeout });
    check();
  }
  if (args.account) {
    await page.fill("#account-input", args.account);
    await page.click("#account-search button");
    await page.waitForSelector("#account-facts dd", { timeout });
    // After a trade, the buyer's position.
    if (args["expect-trades"]) await page.waitForSelector("#positions tbody tr", { timeout });
  }
  if (args.screenshot) {
    // A block opened, so the picture shows transactions and receipts: the trade's, if it is still listed.
    const newestTrade = await page.$("#trades tbody tr");
    const tradeBlock = newestTrade && (await newestTrade.getAttribute("data-block"));
    const block = tradeBlock ?? (await page.getAttribute("#blocks tbody tr", "data-block", { timeout }));
    await page.evaluate((number) => { location.hash = `block=${number}`; }, block);
    await page.waitForSelector(`#block-detail h3:text("Block ${block}:")`, { timeout });
    await page.screenshot({ path: args.screenshot, fullPage: true });
  }
  check();
  say({ ok: true });
} catch (error) {
  // What the page logged may say why a wait ran out.
  process.stderr.write(`explorer: ${[error.message, ...problems.filter((p) => !error.message.includes(p))].join("\n")}\n`);
  process.exitCode = 1;
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(); // with process.exitCode; nothing left to wait for
