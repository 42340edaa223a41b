// The JupyterLab browser test of `environment/lab test`: a learner's first minutes, done by headless Chromium.
//
//   JUPYTER_TOKEN=… node browser-test.mjs http://127.0.0.1:PORT 00-setup-check.ipynb SCREENSHOT.png mime|html
//
// Through JupyterLab's real page (served by `lab test` on 127.0.0.1, every other host unresolvable): open the
// notebook, pick the kernel "Java (ThinkLab)" in JupyterLab's kernel dialog, Run → Run All Cells, wait until every
// code cell has run and the kernel is idle, then assert what a person would check: no error or stderr output, the
// Plotly chart drawn (an SVG whose line has points, and its title) by the renderer expected (mime: Plotly's MIME
// renderer, the JupyterLab extension; html: the kernel's HTML with its embedded plotly.js, when that extension is
// disabled or missing), the Tablesaw table rendered. Saves a screenshot
// of the table and the chart (also when a check fails). Each step has a timeout and the whole test a deadline;
// starting and stopping the server is the caller's (the lab script stops it even when this fails).
//
// The browser is Debian's chromium (CHROMIUM overrides the path); playwright-core never downloads one.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const [base, notebook, screenshot, expected] = process.argv.slice(2);
const token = process.env.JUPYTER_TOKEN;
if (!base || !notebook || !screenshot || !['mime', 'html'].includes(expected) || !token) {
  console.error('usage: JUPYTER_TOKEN=… node browser-test.mjs BASE_URL NOTEBOOK SCREENSHOT mime|html');
  process.exit(2);
}
const KERNEL = 'Java (ThinkLab)';
const CHART_TITLE = 'Training loss (made-up numbers)';
const DEADLINE_S = Number(process.env.THINKLAB_BROWSER_TEST_DEADLINE || 300);
const origin = new URL(base).origin;
// Plotly's MIME renderer makes the output node itself the plot; the kernel's HTML draws one inside it
const PLOT = '.jp-OutputArea-output.js-plotly-plot, .jp-OutputArea-output .js-plotly-plot';
const STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'; // JupyterLab renders errors and stderr so

let browser;
let page;
const deadline = setTimeout(async () => {
  console.error(`FAIL jupyterlab-browser (${expected}): not done within ${DEADLINE_S} s (screenshot: ${screenshot})`);
  mkdirSync(dirname(screenshot), { recursive: true });
  await page?.screenshot({ path: screenshot, timeout: 10_000 }).catch(() => {});
  await browser?.close().catch(() => {});
  process.exit(1);
}, DEADLINE_S * 1000);

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
async function step(name, fn) {
  const value = await fn();
  console.log(`  ${seconds().padStart(5)} s  ${name}`);
  return value;
}

/** What the notebook shows once it ran: read from the page's DOM, as a person would look at it. */
function pageReport({ title, plotSelector, stderrSelector }) {
  const outputs = [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')];
  const errors = outputs
    .filter(o => o.matches(stderrSelector) || o.querySelector(stderrSelector))
    .map(o => o.textContent.trim().slice(0, 300));
  const plot = document.querySelector('.jp-Notebook').querySelector(plotSelector);
  const lines = plot ? [...plot.querySelectorAll('.scatterlayer .trace path.js-line')] : [];
  const points = lines.map(p => (p.getAttribute('d') || '').split(/[ML]/).filter(Boolean).length);
  const titles = plot ? [...plot.querySelectorAll('.gtitle')].map(t => t.textContent) : [];
  const output = plot?.closest('.jp-OutputArea-output');
  const renderer = !output ? null : output.classList.contains('jp-RenderedPlotly') ? 'mime'
    : output.getAttribute('data-mime-type') === 'text/html' ? 'html' : `another (${output.className})`;
  const table = [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output table')]
    .find(t => [...t.querySelectorAll('th')].some(th => th.textContent.trim() === 'train_loss'));
  return {
    errors,
    svg: Boolean(plot?.querySelector('svg.main-svg')),
    points,
    titleDrawn: titles.includes(title),
    renderer,
    tableRows: table ? table.querySelectorAll('tbody tr').length : 0,
    tableText: table ? table.textContent.replace(/\s+/g, ' ').trim().slice(0, 200) : '',
  };
}

const failures = [];
try {
  browser = await step('Chromium started', () => chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // localhost only: any other host name resolves to nothing, so a chart that needed a CDN would fail here
    args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
    timeout: 60_000,
  }));
  // tall enough for the table's cell and the chart's (600 px) in one screenshot
  page = await browser.newPage({ viewport: { width: 1280, height: 1500 } });
  page.setDefaultTimeout(60_000);
  const offsite = [];
  page.on('request', r => {
    if (!r.url().startsWith(origin) && !/^(data|blob):/.test(r.url())) offsite.push(r.url());
  });
  page.on('pageerror', e => console.log(`  page error: ${String(e).slice(0, 200)}`));

  await step(`JupyterLab opened ${notebook}`, async () => {
    await page.goto(`${base}/lab/tree/${encodeURIComponent(notebook)}?token=${token}`, { timeout: 90_000 });
    await page.locator('.jp-Notebook .jp-Cell').first().waitFor({ timeout: 90_000 });
  });

  await step(`kernel "${KERNEL}" picked in JupyterLab's kernel dialog`, async () => {
    await page.locator('.jp-Toolbar-kernelName').click();
    const dialog = page.locator('.jp-Dialog');
    await dialog.waitFor();
    const select = dialog.locator('select');
    const option = select.locator('optgroup[label^="Start"] option', { hasText: KERNEL }).first();
    await select.selectOption(await option.getAttribute('value'));
    await dialog.locator('button.jp-mod-accept').click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.jp-Toolbar-kernelName', { hasText: KERNEL }).waitFor();
    await page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').waitFor({ timeout: 120_000 });
  });

  await step('Run → Run All Cells', async () => {
    await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
  });

  await step('every code cell ran, the kernel is idle', () => page.waitForFunction(() => {
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
    const idle = document.querySelector('.jp-Notebook-ExecutionIndicator')?.getAttribute('data-status') === 'idle';
    return idle && prompts.length > 0 && prompts.every(p => /^\[\d+\]:$/.test(p.textContent.trim()));
  }, null, { timeout: 180_000, polling: 250 }));

  // the chart may still be drawing when the kernel is idle (plotly.js inflates, then draws)
  await page.locator(PLOT).locator('svg.main-svg').first().waitFor({ timeout: 30_000 }).catch(() => {});
  const report = await page.evaluate(pageReport, { title: CHART_TITLE, plotSelector: PLOT, stderrSelector: STDERR });
  if (report.errors.length) failures.push(`error output: ${report.errors.join(' | ')}`);
  if (!report.svg) failures.push('no Plotly chart (svg.main-svg) in the outputs');
  else if (!report.points.some(n => n >= 5)) failures.push(`the chart's line has no data (points: ${report.points})`);
  if (report.svg && !report.titleDrawn) failures.push(`the chart's title "${CHART_TITLE}" is not drawn`);
  if (report.svg && report.renderer !== expected) failures.push(`the chart was drawn by ${report.renderer}, not ${expected}`);
  if (report.tableRows !== 5) failures.push(`the Tablesaw table has ${report.tableRows} rows, 5 expected`);
  if (offsite.length) failures.push(`the page asked for other hosts: ${offsite.slice(0, 3).join(', ')}`);
  const by = { mime: "Plotly's MIME renderer", html: "the kernel's HTML (embedded plotly.js)" }[report.renderer];
  console.log(`  chart drawn by ${by ?? report.renderer}, its line through ${report.points} points; table: ${report.tableText}`);
} catch (e) {
  failures.push(String(e).split('\n')[0]);
} finally {
  if (page) {
    await step(`screenshot ${screenshot}`, async () => {
      mkdirSync(dirname(screenshot), { recursive: true });
      // the table's cell at the top of the notebook panel, the chart's below it
      await page.evaluate(() => document.querySelector('.jp-OutputArea-output table')
        ?.closest('.jp-Cell')?.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(500);
      await page.screenshot({ path: screenshot });
    }).catch(e => console.log(`  no screenshot: ${e}`));
  }
  await browser?.close().catch(() => {});
  clearTimeout(deadline);
}
if (failures.length) {
  console.error(`FAIL jupyterlab-browser (${expected}): ${failures.join('; ')}`);
  process.exit(1);
}
console.log(`ok   jupyterlab-browser (${expected}): ${notebook} ran from JupyterLab's UI, chart and table drawn`
  + ` (${seconds()} s)`);
