// Soko Diagnostics page. Plain DOM, no framework, no build step. Every text from the server is
// set with textContent, never as HTML.
'use strict';

const TOKEN = document.querySelector('meta[name="soko-token"]').content;
const $ = (id) => document.getElementById(id);
const STATE_WORDS = { verified: 'Verified', unverified: 'Unverified', corrupt: 'Corrupt', missing: 'Missing' };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'style') e.style.cssText = v;
    else if (k.startsWith('data-') || k.startsWith('aria-') || ['title', 'type', 'lang', 'role'].includes(k)) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

function bytes(n) {
  if (n < 1024) return n + ' B';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n, u = -1;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[u];
}

function tasks(list) {
  return list.map((t) => t.task + (t.languages.length ? ' ' + t.languages.join(',') : '') + (t.to ? '→' + t.to : '')).join(' · ');
}

function status(text, kind) {
  const s = $('status');
  s.textContent = text;
  s.dataset.kind = kind || 'info';
  s.hidden = false;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error.message : 'HTTP ' + status);
    this.status = status;
    this.body = body;
  }
}

async function get(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json', 'X-Soko-Key': TOKEN }, cache: 'no-store' });
  const body = await r.json();
  if (!r.ok) throw new ApiError(r.status, body);
  return body;
}

async function post(path, payload) {
  const r = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Soko-Token': TOKEN, 'X-Soko-Key': TOKEN, Accept: 'application/json' },
    body: JSON.stringify(payload || {}),
    cache: 'no-store',
  });
  const body = await r.json();
  if (!r.ok) throw new ApiError(r.status, body);
  return body;
}

// ------------------------------------------------------------------ rendering

let diagnostics = null;

function renderModels(models) {
  const table = $('models');
  const tbody = table.tBodies[0];
  tbody.replaceChildren();
  $('models-count').textContent = '(' + models.length + ')';
  $('models-empty').hidden = models.length > 0;
  table.hidden = models.length === 0;
  $('verify-all').disabled = models.length === 0;
  $('verify-full').disabled = models.length === 0;
  for (const m of models) {
    const nameCell = el('td', {},
      el('div', {}, el('span', { class: 'name', text: m.name }), el('span', { class: 'ver', text: m.version }),
        m.demo ? el('span', { class: 'tag', text: 'demo' }) : null,
        m.bundled ? el('span', { class: 'tag', text: 'bundled' }) : null),
      el('div', { class: 'desc', text: m.description }));
    const state = el('span', { class: 'badge', 'data-state': m.state, text: STATE_WORDS[m.state] || m.state });
    const problems = m.files.filter((f) => f.state !== 'verified').map((f) => f.path + ': ' + (f.problem || STATE_WORDS[f.state]));
    const stateCell = el('td', { class: 'state' }, state,
      problems.length ? el('div', { class: 'desc', text: problems.join('; ') }) : null);
    const verify = el('button', { type: 'button', text: 'Verify', 'aria-label': 'Verify ' + m.name });
    verify.addEventListener('click', () => verifyModels(m.name, false));
    const remove = el('button', { type: 'button', class: 'danger', text: 'Remove', 'aria-label': 'Remove ' + m.name });
    remove.addEventListener('click', () => removeModel(m));
    tbody.append(el('tr', { 'data-model': m.name, 'data-state': m.state },
      nameCell,
      el('td', { text: tasks(m.tasks) }),
      el('td', { class: 'num', text: bytes(m.size) }),
      el('td', { text: m.license.spdx }),
      stateCell,
      el('td', { class: 'act' }, verify, remove)));
  }
}

const KINDS = [
  ['models', 'Models', 'k-models', (s) => s.models, (s) => s.modelBlobs + ' file(s), shared files counted once'],
  ['cache', 'Cache', 'k-cache', (s) => s.cache - s.partialDownloads, () => 'safe to clear'],
  ['partial', 'Partial downloads', 'k-partial', (s) => s.partialDownloads, (s) => s.partialCount + ' resumable'],
  ['orphans', 'Orphans', 'k-orphans', (s) => s.orphans, (s) => s.orphanCount + ' file(s) no model uses'],
];

function renderStorage(s, roots) {
  const chart = $('storage-chart');
  chart.replaceChildren();
  const values = KINDS.map(([, , , f]) => Math.max(0, f(s)));
  const used = values.reduce((a, b) => a + b, 0);
  const scale = Math.max(1, ...values);
  KINDS.forEach(([kind, label, cls, , note], i) => {
    const v = values[i];
    const pct = v === 0 ? 0 : Math.max(0.6, (v / scale) * 100);
    chart.append(
      el('div', { class: 'label', id: 'lbl-' + kind }, el('span', { class: 'swatch ' + cls, 'aria-hidden': 'true' }), label),
      el('div', { class: 'track', role: 'img', 'aria-labelledby': 'lbl-' + kind + ' val-' + kind },
        el('div', { class: 'bar ' + cls, 'data-kind': kind, 'data-bytes': String(v), style: 'width:' + pct.toFixed(2) + '%' })),
      el('div', { class: 'bytes', id: 'val-' + kind, 'data-kind': kind, 'data-bytes': String(v), text: bytes(v) }),
      el('div', { class: 'note', text: note(s) }));
  });
  // The disk: what Soko uses against what is left. Free space would dwarf the bars above, so it has its own scale.
  const disk = used + s.free;
  chart.append(el('div', { class: 'sep' }),
    el('div', { class: 'label', id: 'lbl-free' }, el('span', { class: 'swatch k-free', 'aria-hidden': 'true' }), 'Free on disk'),
    el('div', { class: 'track', role: 'img', 'aria-labelledby': 'lbl-free val-free' },
      el('div', { class: 'bar k-free', 'data-kind': 'free', 'data-bytes': String(s.free),
        style: 'width:' + (disk === 0 ? 0 : (s.free / disk) * 100).toFixed(2) + '%' })),
    el('div', { class: 'bytes', id: 'val-free', 'data-kind': 'free', 'data-bytes': String(s.free), text: bytes(s.free) }),
    el('div', { class: 'note', text: 'Soko uses ' + bytes(used) + ' in total' }));

  const r = $('roots');
  r.replaceChildren(
    el('dt', { text: 'Models (data)' }), el('dd', { class: 'path', text: roots.data }),
    el('dt', { text: 'Cache' }), el('dd', { class: 'path', text: roots.cache }),
    el('dt', { text: 'Library' }), el('dd', {}, el('span', { class: 'path', text: roots.library }), ' — never touched by Soko'),
    el('dt', { text: 'Chosen by' }), el('dd', { text: roots.origin }));
}

function renderMachine(m) {
  const kv = (k, v) => [el('dt', { text: k }), el('dd', { text: v })];
  $('machine').replaceChildren(
    ...kv('System', m.os + ' ' + m.osVersion + ' (' + m.arch + ')'),
    ...kv('CPU', m.cpu + ', ' + m.cores + ' cores'),
    ...kv('CPU features', m.cpuFeatures.length ? m.cpuFeatures.join(' ') : '—'),
    ...kv('Memory', bytes(m.memory)),
    ...kv('GPU', m.gpus.length ? m.gpus.join(', ') : 'none found (CPU only)'),
    ...kv('Java', m.java));
}

function renderEngines(engines) {
  const ul = $('engines');
  ul.replaceChildren();
  if (engines.length === 0) ul.append(el('li', { text: 'No engines found.' }));
  for (const e of engines) {
    ul.append(el('li', { 'data-engine': e.id },
      el('div', {}, el('span', { class: 'eng', text: e.id + ' ' + e.version }),
        el('span', { class: 'tag', text: e.native ? 'native' : 'Java' })),
      el('div', { class: 'caps', text: e.capabilities.join(' · ') + (e.description ? ' — ' + e.description : '') })));
  }
}

function renderCatalog(c) {
  const tbody = $('catalog').tBodies[0];
  tbody.replaceChildren();
  for (const m of c.models) {
    let action;
    if (m.installed) {
      action = el('span', { class: 'badge', 'data-state': 'installed', text: 'Installed' });
    } else {
      action = el('button', { type: 'button', class: 'primary', text: 'Install…', 'aria-label': 'Install ' + m.name + ' ' + m.version, 'data-install': m.name });
      action.addEventListener('click', () => askToInstall(m.name + '@' + m.version, m.name));
    }
    tbody.append(el('tr', { 'data-catalog-model': m.name },
      el('td', {}, el('div', {}, el('span', { class: 'name', text: m.name }), el('span', { class: 'ver', text: m.version }),
        m.bundled ? el('span', { class: 'tag', text: 'bundled' }) : null, m.demo ? el('span', { class: 'tag', text: 'demo' }) : null),
        el('div', { class: 'desc', text: m.description })),
      el('td', { text: tasks(m.tasks) }),
      el('td', { class: 'num', text: bytes(m.size) }),
      el('td', { text: m.license }),
      el('td', { class: 'act' }, action)));
  }
}

async function refresh() {
  try {
    const [d, c] = await Promise.all([get('/api/diagnostics'), get('/api/catalog')]);
    diagnostics = d;
    renderModels(d.models);
    renderStorage(d.storage, d.roots);
    renderMachine(d.machine);
    renderEngines(d.engines);
    renderCatalog(c);
    document.body.dataset.loaded = String((Number(document.body.dataset.loaded) || 0) + 1);
  } catch (e) {
    status('Could not load the diagnostics: ' + e.message, 'error');
  }
}

// ------------------------------------------------------------------ dialogs

function ask(dialog) {
  return new Promise((resolve) => {
    dialog.returnValue = 'cancel';
    dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true });
    dialog.showModal();
  });
}

async function confirmAction(title, body, okText) {
  $('confirm-h').textContent = title;
  $('confirm-body').replaceChildren(...body);
  $('confirm-ok').textContent = okText;
  return (await ask($('confirm'))) === 'ok';
}

// ------------------------------------------------------------------ install with consent

let install = null; // { id, model, done: {file: bytes}, total }
const finished = new Set(); // ids of installs that ended

async function askToInstall(target, shown) {
  let plan;
  try {
    plan = await post('/api/plan', { model: target });
  } catch (e) {
    status(e.message, 'error');
    return;
  }
  $('consent-model').textContent = plan.name + ' ' + plan.version;
  $('consent-intro').textContent = plan.description;
  $('consent-size').textContent = plan.downloadNeeded
    ? bytes(plan.bytesToDownload) + (plan.bytesAlreadyPresent > 0 ? ' (' + bytes(plan.bytesAlreadyPresent) + ' already downloaded)' : '')
    : 'Nothing — installs from files on this computer (' + bytes(plan.size) + ')';
  $('consent-free').textContent = bytes(Math.max(0, plan.freeAfter));
  $('consent-hosts').textContent = plan.hosts.length ? plan.hosts.join(', ') : 'this computer only';
  const lic = $('consent-license');
  lic.replaceChildren(plan.license.spdx);
  if (/^https?:/.test(plan.license.url)) {
    lic.append(' · ', el('a', { href: plan.license.url, target: '_blank', rel: 'noopener noreferrer', text: 'read it' }));
  }
  lic.append(el('div', { class: 'detail', text: plan.license.attribution }));
  const answer = await ask($('consent'));
  if (answer !== 'accept') {
    status('Cancelled: nothing was downloaded or installed.', 'info');
    return;
  }
  const accept = { version: plan.version, bytesToDownload: plan.bytesToDownload, hosts: plan.hosts, license: plan.license.spdx };
  try {
    const r = await post('/api/install', { model: target, accept });
    startProgress(r.id, r.model, r.plan);
  } catch (e) {
    status(e.message, 'error');
  }
}

function startProgress(id, model, plan) {
  if (finished.has(id) || (install && install.id === id)) return;
  install = { id, model, done: {}, total: 0 };
  for (const f of plan.files) {
    install.done[f.path] = f.alreadyPresent;
    install.total += f.size;
  }
  $('progress-box').hidden = false;
  $('progress-label').textContent = 'Installing ' + model;
  $('progress-detail').textContent = plan.downloadNeeded ? 'Downloading from ' + plan.hosts.join(', ') : 'Copying from this computer';
  setProgress(install.total === 0 ? 0 : sum(install.done) / install.total * 100);
}

function sum(o) {
  return Object.values(o).reduce((a, b) => a + b, 0);
}

function setProgress(pct) {
  const v = Math.max(0, Math.min(100, Math.floor(pct)));
  $('install-progress').value = v;
  $('progress-text').textContent = v + '%';
}

function onTransfer(e) {
    if (!install || install.id !== e.id) return;
  if (e.event === 'progress') install.done[e.file] = e.bytes;
  else if (e.event === 'started') install.done[e.file] = e.resumedFrom;
  else if (e.event === 'done') install.done[e.file] = e.size;
  else if (e.event === 'retrying') $('progress-detail').textContent = 'Retrying ' + e.file + ': ' + e.reason;
  else if (e.event === 'verifying') $('progress-detail').textContent = 'Checking ' + e.file;
  if (e.event === 'progress' && e.bytesPerSecond > 0) {
    $('progress-detail').textContent = bytes(sum(install.done)) + ' of ' + bytes(install.total) + ' · ' + bytes(e.bytesPerSecond) + '/s';
  }
  if (install.total > 0) setProgress(sum(install.done) / install.total * 100);
}

function onInstall(e) {
  if (e.state === 'started') {
    startProgress(e.id, e.model, e.plan);
    return;
  }
  if (!install || install.id !== e.id) startProgress(e.id, e.model, { files: [], downloadNeeded: false, hosts: [] });
  finished.add(e.id);
  install = null;
  if (e.state === 'done') {
    setProgress(100);
    $('progress-label').textContent = 'Installed ' + e.model;
    $('progress-detail').textContent = 'Every file was verified.';
    status('Installed ' + e.result.name + ' ' + e.result.version + '.', 'ok');
  } else {
    $('progress-label').textContent = 'Install of ' + e.model + ' failed';
    $('progress-detail').textContent = e.message;
    status('Install of ' + e.model + ' failed: ' + e.message, 'error');
  }
}

// ------------------------------------------------------------------ other actions

async function verifyModels(name, full) {
  try {
    status(full ? 'Re-hashing every file…' : 'Verifying…', 'info');
    const r = await post('/api/verify', name ? { model: name, full } : { full });
    const bad = r.models.filter((m) => m.state !== 'verified');
    status(bad.length === 0 ? 'Verified ' + r.models.length + ' model(s): all good.'
      : bad.map((m) => m.name + ' is ' + (STATE_WORDS[m.state] || m.state).toLowerCase()).join('; ') + '. Install it again to repair it.',
      bad.length === 0 ? 'ok' : 'error');
    await refresh();
  } catch (e) {
    status(e.message, 'error');
  }
}

async function removeModel(m) {
  const ok = await confirmAction('Remove ' + m.name + '?', [
    el('p', { text: m.name + ' ' + m.version + ' (' + bytes(m.size) + ') will be removed. Files another model shares are kept.' })],
    'Remove');
  if (!ok) return;
  try {
    const r = await post('/api/remove', { model: m.name });
    status('Removed ' + m.name + '; freed ' + bytes(r.bytesFreed) + '.', 'ok');
    await refresh();
  } catch (e) {
    status(e.message, 'error');
  }
}

async function clearCache() {
  try {
    const dry = await post('/api/cache/clear', { dryRun: true });
    const ok = await confirmAction('Clear the cache?', [
      el('p', {}, 'This frees ', el('strong', { id: 'clear-bytes', text: bytes(dry.bytesFreed) }),
        ' (' + dry.filesRemoved + ' file(s)' + (dry.partialDownloads > 0 ? ', including ' + dry.partialDownloads
          + ' partial download(s) of ' + bytes(dry.partialBytes) : '') + ') from ', el('span', { class: 'path', text: dry.cacheRoot }), '.'),
      el('p', {}, 'Installed models stay. Your library at ', el('span', { class: 'path', id: 'clear-library', text: dry.library }),
        ' is not touched.')], 'Clear cache');
    if (!ok) {
      status('Cancelled: the cache was not changed.', 'info');
      return;
    }
    const r = await post('/api/cache/clear', { dryRun: false });
    status('Cleared the cache: freed ' + bytes(r.bytesFreed) + '.' + (r.skipped.length ? ' Skipped: ' + r.skipped.join('; ') : ''), 'ok');
    await refresh();
  } catch (e) {
    status(e.message, 'error');
  }
}

async function gc() {
  try {
    const dry = await post('/api/gc', { dryRun: true });
    if (dry.removed.length === 0) {
      status('No orphans: every stored file belongs to an installed model.', 'ok');
      return;
    }
    const ok = await confirmAction('Remove orphans?', [
      el('p', { text: dry.removed.length + ' file(s) no installed model uses, ' + bytes(dry.bytesFreed) + ' in total, will be removed.' })],
      'Remove orphans');
    if (!ok) return;
    const r = await post('/api/gc', { dryRun: false });
    status('Removed ' + r.removed.length + ' orphan(s), freed ' + bytes(r.bytesFreed) + '.', 'ok');
    await refresh();
  } catch (e) {
    status(e.message, 'error');
  }
}

// ------------------------------------------------------------------ live updates

function connect() {
  // A browser cannot add headers to an event stream: the key goes in the query, as in the printed URL.
  const es = new EventSource('/api/events?key=' + encodeURIComponent(TOKEN));
  es.addEventListener('open', () => {
    document.body.dataset.live = 'true';
    $('live-text').textContent = 'Live';
  });
  es.addEventListener('error', () => {
    document.body.dataset.live = 'false';
    $('live-text').textContent = 'Reconnecting…';
  });
  es.addEventListener('transfer', (m) => onTransfer(JSON.parse(m.data)));
  es.addEventListener('install', (m) => onInstall(JSON.parse(m.data)));
  es.addEventListener('changed', () => refresh());
}

document.addEventListener('DOMContentLoaded', () => {
  $('verify-all').addEventListener('click', () => verifyModels(null, false));
  $('verify-full').addEventListener('click', () => verifyModels(null, true));
  $('clear-cache').addEventListener('click', clearCache);
  $('gc').addEventListener('click', gc);
  $('install-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const name = $('install-name').value.trim();
    if (name) askToInstall(name, name);
  });
  connect();
  refresh();
});
