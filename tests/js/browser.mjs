#!/usr/bin/env node
// Test harness driving the real engines in headless Chromium (Debian's
// /usr/bin/chromium, via puppeteer-core).  One browser launch per invocation.
//
// Usage:  node browser.mjs <mode>  < request.json  > reply.json
//
//   mode "mermaid": request {"diagrams": [str, ...], "timeout_ms"?: int}
//     reply {"results": [{"ok", "error", "diagramType", "svg", "text",
//            "labels", "links", "scripts", "handlers", "js_urls", "urls",
//            "elapsed_ms"}],
//            "requests": [...], "mermaid_version": str}
//   mode "page": request {"path": "/abs/file.html", "screenshot": "/abs/out.png"|null,
//            "width": 1600, "height": 1000, "eval": "JS expression"|null,
//            "keys"?: ["Tab", "Space", ...], "print"?: bool, "dark"?: bool, "timeout_ms"?: int}
//     reply {"requests", "local_requests", "console_errors", "page_errors",
//            "text", "title", "eval", "eval_error",
//            "focused": [{"tag", "id", "href", "className"} | null per key]}
//     Keys are pressed after load, then print media is emulated (backgrounds that
//     Chromium does not print dropped), then "eval" runs.
//   mode "axe": request {"path": "/abs/file.html", "views": [{"width": 1400,
//            "dark": bool, "compact": bool, "print": bool}, ...], "tags"?: [str, ...], "timeout_ms"?: int}
//     reply {"axe_version": str, "views": [{"width", "dark", "compact",
//            "violations": [{"id", "impact", "help", "nodes": [{"target", "summary"}]}]}]}
//
// The mode may also be given as "mode" in the request.  Harness failures
// (bad request, browser won't start, timeouts of the whole run) exit non-zero
// with a message on stderr; diagram errors are data, reported per diagram.

import { constants as fsConstants, rmSync } from 'node:fs';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import puppeteer from 'puppeteer-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MERMAID_JS = path.join(HERE, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');
const MERMAID_PKG = path.join(HERE, 'node_modules', 'mermaid', 'package.json');
const AXE_JS = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CHROMIUM = process.env.CLJOURNEY_CHROMIUM || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const DEFAULT_DIAGRAM_TIMEOUT_MS = 20_000;
const DEFAULT_PAGE_TIMEOUT_MS = 30_000;
const LAUNCH_TIMEOUT_MS = 30_000;

class HarnessError extends Error {}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new HarnessError(`timeout after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function isLocalScheme(url) {
  return /^(data|blob|about):/i.test(url);
}

function shorten(url, max = 200) {
  return url.length > max ? `${url.slice(0, max)}...(${url.length} chars)` : url;
}

// ---------------------------------------------------------------- mermaid

// Runs inside the page.  Parses, renders and inspects one diagram.
async function renderInPage(src, id) {
  const mermaid = globalThis.mermaid;
  const out = {
    ok: false, error: null, diagramType: null, svg: null, text: '', labels: [],
    links: 0, scripts: 0, handlers: 0, js_urls: 0, urls: [],
  };
  const cleanup = () => {
    for (const sel of [`#${id}`, `#d${id}`, `#i${id}`]) {
      document.querySelectorAll(sel).forEach((el) => el.remove());
    }
  };
  try {
    const parsed = await mermaid.parse(src);
    if (parsed && parsed.diagramType) out.diagramType = parsed.diagramType;
    const rendered = await mermaid.render(id, src);
    if (rendered.diagramType) out.diagramType = rendered.diagramType;
    out.svg = rendered.svg;
    out.ok = true;
    // Over maxTextSize mermaid does not throw: it renders a stand-in diagram
    // reading "Maximum text size in diagram exceeded".  That is a failure.
    const config = mermaid.mermaidAPI && mermaid.mermaidAPI.getConfig ? mermaid.mermaidAPI.getConfig() : {};
    const maxTextSize = config.maxTextSize ?? 50000;
    if (src.length > maxTextSize) {
      out.ok = false;
      out.error = `Maximum text size in diagram exceeded: ${src.length} > maxTextSize ${maxTextSize}`;
    }
  } catch (err) {
    out.error = String((err && (err.message || err.str)) || err);
    cleanup();
    return out;
  }
  cleanup();

  // Inspect the returned markup without executing anything: a <template>
  // holds inert content (scripts don't run, images don't load).
  const tpl = document.createElement('template');
  tpl.innerHTML = out.svg;
  const root = tpl.content;
  const all = root.querySelectorAll('*');
  out.links = root.querySelectorAll('a').length;
  out.scripts = root.querySelectorAll('script, iframe, object, embed').length;
  const normalise = (v) => v.replace(/[\u0000-\u0020]+/g, '').toLowerCase();
  for (const el of all) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) out.handlers += 1;
      if (normalise(attr.value).includes('javascript:')) out.js_urls += 1;
    }
  }
  // Also catch anything the DOM view might hide (e.g. inside CDATA/style).
  const rawLower = out.svg.toLowerCase();
  if (out.scripts === 0 && rawLower.includes('<script')) out.scripts = 1;
  if (out.js_urls === 0 && normalise(out.svg).includes('javascript:')) out.js_urls = 1;
  out.scripts += out.handlers + out.js_urls;

  // Visible text: text nodes outside <style>/<script>.  `text` is their
  // plain concatenation (like textContent); `labels` groups them by the
  // element that draws one label (<foreignObject>, <text>, <title>, <desc>),
  // putting a space where a label wraps onto a new line (an SVG line tspan
  // or an HTML <br>) so words of wrapped labels don't run together.
  const groups = new Map();
  let text = '';
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && parent.closest('style, script')) continue;
    text += node.data;
    const owner = (parent && parent.closest('foreignObject, text, title, desc')) || parent || root;
    const line = (parent && parent.closest('tspan.row, tspan[x], tspan[dy]')) || owner;
    let group = groups.get(owner);
    if (!group) {
      group = { text: '', line };
      groups.set(owner, group);
    } else {
      let breakBefore = group.line !== line;
      // An HTML <br> between the previous text and this node is a line break too.
      let prev = node.previousSibling || (parent && parent !== owner ? parent.previousSibling : null);
      while (prev && prev.nodeType === Node.ELEMENT_NODE && prev.localName === 'br') {
        breakBefore = true;
        prev = prev.previousSibling;
      }
      if (breakBefore && group.text && !/\s$/.test(group.text) && !/^\s/.test(node.data)) {
        group.text += ' ';
      }
      group.line = line;
    }
    group.text += node.data;
  }
  const labels = [...groups.values()].map((g) => g.text.trim()).filter(Boolean);
  const urls = [];
  for (const el of all) {
    for (const attr of el.attributes) {
      if (['href', 'xlink:href', 'src', 'srcset', 'action', 'formaction', 'data'].includes(attr.name.toLowerCase())
          && !attr.value.startsWith('#')) {
        urls.push(attr.value);
      }
    }
  }
  out.urls = urls;
  out.text = text;
  out.labels = labels;
  return out;
}

async function newMermaidPage(browser, requests) {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const url = req.url();
    if (isLocalScheme(url)) {
      req.continue();
    } else {
      requests.push(shorten(url));
      req.abort('blockedbyclient');
    }
  });
  const js = await readFile(MERMAID_JS, 'utf8');
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
  await page.addScriptTag({ content: js });
  await page.evaluate(() => {
    globalThis.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  });
  return page;
}

async function modeMermaid(browser, request) {
  const diagrams = request.diagrams;
  if (!Array.isArray(diagrams) || !diagrams.every((d) => typeof d === 'string')) {
    throw new HarnessError('request.diagrams must be a list of strings');
  }
  const perDiagram = Number(request.timeout_ms) || DEFAULT_DIAGRAM_TIMEOUT_MS;
  const requests = [];
  const pkg = JSON.parse(await readFile(MERMAID_PKG, 'utf8'));
  let page = await newMermaidPage(browser, requests);
  const results = [];
  for (let i = 0; i < diagrams.length; i += 1) {
    const started = Date.now();
    let result;
    try {
      result = await withTimeout(
        page.evaluate(renderInPage, diagrams[i], `cljmm${i}`),
        perDiagram,
        `mermaid diagram #${i}`,
      );
    } catch (err) {
      if (!(err instanceof HarnessError)) throw err;
      // The page may be wedged: report the diagram as failed and start over.
      result = {
        ok: false, error: err.message, diagramType: null, svg: null, text: '', labels: [],
        links: 0, scripts: 0, handlers: 0, js_urls: 0, urls: [],
      };
      await page.close().catch(() => {});
      page = await newMermaidPage(browser, requests);
    }
    result.elapsed_ms = Date.now() - started;
    results.push(result);
  }
  await page.close().catch(() => {});
  return { results, requests, mermaid_version: pkg.version };
}

// ---------------------------------------------------------------- page

async function modePage(browser, request) {
  if (typeof request.path !== 'string' || !path.isAbsolute(request.path)) {
    throw new HarnessError('request.path must be an absolute path');
  }
  const timeout = Number(request.timeout_ms) || DEFAULT_PAGE_TIMEOUT_MS;
  const width = Number(request.width) || 1600;
  const height = Number(request.height) || 1000;
  try {
    await access(request.path, fsConstants.R_OK);
  } catch {
    throw new HarnessError(`cannot read ${request.path}`);
  }
  const fileUrl = pathToFileURL(request.path).href;

  const requests = [];
  const localRequests = [];
  const consoleErrors = [];
  const pageErrors = [];

  const page = await browser.newPage();
  page.setDefaultTimeout(timeout);
  await page.setViewport({ width, height });
  if (request.dark) {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  }
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const url = req.url();
    if (url === fileUrl) {
      req.continue();
    } else if (isLocalScheme(url)) {
      localRequests.push(shorten(url, 80));
      req.continue();
    } else {
      requests.push(shorten(url));
      req.abort('blockedbyclient');
    }
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // Our own aborts show up as "Failed to load resource:
    // net::ERR_BLOCKED_BY_CLIENT"; they are already listed in `requests`.
    if (text.includes('net::ERR_BLOCKED_BY_CLIENT')) return;
    consoleErrors.push(text);
  });
  page.on('pageerror', (err) => {
    pageErrors.push(String((err && err.message) || err));
  });

  const response = await page.goto(fileUrl, { waitUntil: 'load', timeout });
  if (response && !response.ok() && response.status() !== 0) {
    throw new HarnessError(`could not load ${fileUrl}: status ${response.status()}`);
  }
  // Let rAF / setTimeout(0) work triggered by load run, so its errors count.
  await withTimeout(
    page.evaluate(() => new Promise((resolve) => {
      requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 20)));
    })),
    timeout,
    'settling after load',
  );

  if (request.screenshot) {
    await withTimeout(
      page.screenshot({ path: request.screenshot, fullPage: true }),
      timeout,
      'screenshot',
    );
  }

  // Real key presses, one at a time; after each, what has the focus (null: the body).
  const focused = [];
  for (const key of Array.isArray(request.keys) ? request.keys : []) {
    await page.keyboard.press(String(key));
    focused.push(await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      return { tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href'),
               className: typeof el.className === 'string' ? el.className : '' };
    }));
  }
  if (request.print) {
    await page.emulateMediaType('print');
    await page.evaluate(dropPrintBackgrounds);
  }

  let evalResult = null;
  let evalError = null;
  if (typeof request.eval === 'string' && request.eval.trim()) {
    // Wrapped as an async IIFE: the expression may return a promise.  Runtime
    // evaluation over the protocol is not subject to the page's CSP.
    const wrapped = `(async () => {
      const __v = await (${request.eval}\n);
      return JSON.stringify(__v === undefined ? null : __v);
    })()`;
    try {
      const json = await withTimeout(page.evaluate(wrapped), timeout, 'eval');
      evalResult = json === undefined ? null : JSON.parse(json);
    } catch (err) {
      if (err instanceof HarnessError) throw err;
      evalError = String((err && err.message) || err);
    }
  }

  const { text, title } = await page.evaluate(() => ({
    text: document.body ? document.body.innerText : '',
    title: document.title,
  }));
  await page.close().catch(() => {});
  return {
    requests,
    local_requests: localRequests,
    console_errors: consoleErrors,
    page_errors: pageErrors,
    text,
    title,
    eval: evalResult,
    eval_error: evalError,
    focused,
  };
}

// ---------------------------------------------------------------- axe

// Printing as Chromium does by default (the print dialog's "Background graphics" off, and
// page.pdf): only elements with `print-color-adjust: exact` keep their background colour and
// image; the others are painted on the paper.  Emulating print media alone keeps every
// background, so light text on a dropped background (white on a coloured badge) would pass.
function dropPrintBackgrounds() {
  for (const el of document.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if ((style.printColorAdjust || style.webkitPrintColorAdjust) === 'exact') continue;
    el.style.setProperty('background-color', 'transparent', 'important');
    el.style.setProperty('background-image', 'none', 'important');
  }
}

// One page per view: the colour scheme is emulated before load, compact mode is
// switched on by clicking its checkbox (as a keyboard or mouse user would), print
// drops the backgrounds Chromium does not print (above), and axe-core runs with the WCAG 2.0/2.1 A and AA rules only.  The page's CSP
// forbids scripts, so CSP is bypassed for the injected axe source alone; the
// network stays blocked.
async function axeView(browser, fileUrl, view, axeSource, tags, timeout) {
  const page = await browser.newPage();
  page.setDefaultTimeout(timeout);
  await page.setBypassCSP(true);
  await page.setViewport({ width: Number(view.width) || 1400, height: Number(view.height) || 900 });
  await page.emulateMediaFeatures([
    { name: 'prefers-color-scheme', value: view.dark ? 'dark' : 'light' },
  ]);
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const url = req.url();
    if (url === fileUrl || isLocalScheme(url)) req.continue();
    else req.abort('blockedbyclient');
  });
  await page.goto(fileUrl, { waitUntil: 'load', timeout });
  if (view.compact) {
    const box = await page.$('#compact');
    if (!box) throw new HarnessError(`${fileUrl} has no #compact switch`);
    await box.click();
  }
  if (view.print) {
    await page.emulateMediaType('print');
    await page.evaluate(dropPrintBackgrounds);
  }
  await page.evaluate(axeSource);
  const result = await withTimeout(
    page.evaluate(
      (runTags) => globalThis.axe.run(document, {
        runOnly: { type: 'tag', values: runTags },
        resultTypes: ['violations'],
      }),
      tags,
    ),
    timeout,
    'axe.run',
  );
  await page.close().catch(() => {});
  return {
    width: view.width, dark: Boolean(view.dark), compact: Boolean(view.compact), print: Boolean(view.print),
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary || '' })),
    })),
  };
}

async function modeAxe(browser, request) {
  if (typeof request.path !== 'string' || !path.isAbsolute(request.path)) {
    throw new HarnessError('request.path must be an absolute path');
  }
  if (!Array.isArray(request.views) || request.views.length === 0) {
    throw new HarnessError('request.views must be a non-empty list');
  }
  try {
    await access(request.path, fsConstants.R_OK);
  } catch {
    throw new HarnessError(`cannot read ${request.path}`);
  }
  const timeout = Number(request.timeout_ms) || DEFAULT_PAGE_TIMEOUT_MS;
  const tags = Array.isArray(request.tags) ? request.tags : AXE_TAGS;
  const axeSource = await readFile(AXE_JS, 'utf8');
  const fileUrl = pathToFileURL(request.path).href;
  const views = [];
  for (const view of request.views) {
    views.push(await axeView(browser, fileUrl, view, axeSource, tags, timeout));
  }
  const pkg = JSON.parse(await readFile(path.join(HERE, 'node_modules', 'axe-core', 'package.json'), 'utf8'));
  return { axe_version: pkg.version, views };
}

// ---------------------------------------------------------------- main

async function main() {
  const raw = await readStdin();
  let request;
  try {
    request = JSON.parse(raw);
  } catch (err) {
    throw new HarnessError(`request on stdin is not JSON: ${err.message}`);
  }
  if (request === null || typeof request !== 'object') {
    throw new HarnessError('request must be a JSON object');
  }
  const mode = process.argv[2] || request.mode;
  const modes = { mermaid: modeMermaid, page: modePage, axe: modeAxe };
  if (!modes[mode]) {
    throw new HarnessError(`unknown mode ${JSON.stringify(mode)} (use "mermaid", "page" or "axe")`);
  }

  const userDataDir = await mkdtemp(path.join(tmpdir(), 'cljourney-chromium-'));
  let browser = null;
  // On SIGTERM/SIGINT/SIGHUP (e.g. the Python side timing out) kill Chromium
  // and remove the profile synchronously, then exit.
  const onSignal = (signal, code) => {
    try {
      const proc = browser && browser.process();
      if (proc && proc.exitCode === null) {
        // puppeteer starts Chromium in its own process group: kill all of it.
        try { process.kill(-proc.pid, 'SIGKILL'); } catch { proc.kill('SIGKILL'); }
      }
    } catch { /* already gone */ }
    try { rmSync(userDataDir, { recursive: true, force: true }); } catch { /* best effort */ }
    process.stderr.write(`browser.mjs: killed by ${signal}\n`);
    process.exit(128 + code);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM', 15));
  process.on('SIGINT', () => onSignal('SIGINT', 2));
  process.on('SIGHUP', () => onSignal('SIGHUP', 1));
  try {
    try {
      browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        userDataDir,
        args: CHROMIUM_ARGS,
        timeout: LAUNCH_TIMEOUT_MS,
        protocolTimeout: 120_000,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (err) {
      throw new HarnessError(`could not launch ${CHROMIUM}: ${err.message}`);
    }
    const reply = await modes[mode](browser, request);
    // Wait for the write to be flushed before exiting (large replies).
    await new Promise((resolve) => { process.stdout.write(`${JSON.stringify(reply)}\n`, resolve); });
  } finally {
    if (browser) await browser.close().catch(() => {});
    await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    const detail = err instanceof HarnessError
      ? err.message
      : `unexpected error: ${err && err.stack ? err.stack : err}`;
    process.stderr.write(`browser.mjs: ${detail}\n`);
    process.exit(2);
  },
);
