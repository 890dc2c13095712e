// `make lighthouse`: Lighthouse (mobile preset: a mid-range phone on slow 4G, simulated) with
// Debian's Chromium on the menu, a drink page and the bartender (as a guest who joined). Prints
// the performance score and Time to Interactive for each; the goal is >= 95 and <= 2.5 s.
// LIGHTHOUSE names the lighthouse CLI (the Makefile installs it). Starts its own release server.
// One run varies by up to 20 points on this machine: each page is run LIGHTHOUSE_RUNS times (3 unless
// told), every run is printed, and a median line (per column) sums the page up.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';

const lighthouse = process.env.LIGHTHOUSE ?? 'lighthouse';
const { base, invite, firstDrink, stop } = await startServer(3230);
const runs = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 3));
// Some of the pages only, by label (`LIGHTHOUSE_PAGES='/drinks/{id},/bartender'`); all by default.
const only = process.env.LIGHTHOUSE_PAGES?.split(',').map((label) => label.trim());
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'barback-lighthouse-'));

try {
  const drink = await firstDrink();
  const code = invite();
  // Join as a plain form would, and keep the session cookie for the bartender's page.
  const joinPath = /action="([^"]+)"/.exec(await (await fetch(`${base}/join/${code}`)).text())[1];
  const joined = await fetch(`${base}${joinPath}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ code, name: 'Lighthouse' }),
  });
  const cookie = joined.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (!cookie) throw new Error(`joining failed: ${joined.status}`);

  const flags = '--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync';
  console.log(`${'page'.padEnd(20)} ${'score'.padStart(6)} ${'TTI s'.padStart(7)} ${'FCP s'.padStart(7)} ${'LCP s'.padStart(7)} ${'TBT ms'.padStart(7)} ${'bytes kB'.padStart(9)}`);
  for (const [label, url, headers] of [
    ['/', `${base}/`, null],
    ['/drinks/{id}', `${base}/drinks/${drink}`, null],
    ['/bartender', `${base}/bartender`, { Cookie: cookie }],
  ].filter(([label]) => !only || only.includes(label))) {
    const rows = [];
    const works = [];
    for (let run = 1; run <= runs; run += 1) {
      const out = path.join(work, 'report.json');
      const args = [url, '--quiet', '--only-categories=performance', '--output=json', `--output-path=${out}`, `--chrome-path=/usr/bin/chromium`, `--chrome-flags=${flags}`];
      if (headers) args.push(`--extra-headers=${JSON.stringify(headers)}`);
      execFileSync(lighthouse, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      const report = JSON.parse(fs.readFileSync(out, 'utf8'));
      const audit = (id) => report.audits[id]?.numericValue ?? NaN;
      const row = [
        Math.round(report.categories.performance.score * 100),
        audit('interactive') / 1000,
        audit('first-contentful-paint') / 1000,
        audit('largest-contentful-paint') / 1000,
        audit('total-blocking-time'),
        audit('total-byte-weight') / 1024,
      ];
      rows.push(row);
      works.push(mainThreadWork(report));
      console.log(line(`${label} #${run}`, row));
    }
    if (runs > 1) console.log(line(`${label} median`, rows[0].map((_, column) => median(rows.map((row) => row[column])))));
    // Where the phone's main thread spends its time (median ms per kind of work): compiling the
    // code, running it (hydration), styles and layout...
    const kinds = [...new Set(works.flatMap((work) => Object.keys(work)))];
    const spent = kinds.map((kind) => [kind, median(works.map((work) => work[kind] ?? 0))]).sort((a, b) => b[1] - a[1]);
    console.log(`  main thread (ms): ${spent.map(([kind, ms]) => `${kind} ${ms.toFixed(0)}`).join(', ')}`);
  }
} finally {
  stop();
  fs.rmSync(work, { recursive: true, force: true });
}

/** Lighthouse's main-thread breakdown (simulated phone), ms per group of work. */
function mainThreadWork(report) {
  const work = {};
  for (const item of report.audits['mainthread-work-breakdown']?.details?.items ?? []) work[item.groupLabel ?? item.group] = item.duration;
  return work;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function line(label, [score, tti, fcp, lcp, tbt, kb]) {
  return `${label.padEnd(20)} ${String(Math.round(score)).padStart(6)} ${tti.toFixed(2).padStart(7)} ${fcp.toFixed(2).padStart(7)} ${lcp.toFixed(2).padStart(7)} ${tbt.toFixed(0).padStart(7)} ${kb.toFixed(0).padStart(9)}`;
}
