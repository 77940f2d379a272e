// Soko Diagnostics page. Plain DOM, no framework, no build step. Every text from the server is
// set with textContent, never as HTML.
'use strict';

const TOKEN = document.querySelector('meta[name="soko-token"]').content;
const $ = (id) => document.getElementById(id);
const STATE_WORDS = { verified: 'Verified', unverified: 'Unverified', corrupt: 'Corrupt', missing: 'Missing' };
const SHORT_HEX = 12;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'style') e.style.cssText = v;
    else if (k.startsWith('data-') || k.startsWith('aria-') || ['title', 'type', 'lang', 'role', 'for'].includes(k)) e.setAttribute(k, v);
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

/** Time left as 1h 02m, 3m 10s or 12s. */
function eta(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  const two = (n) => String(n).padStart(2, '0');
  if (s >= 3600) return Math.floor(s / 3600) + 'h ' + two(Math.floor((s % 3600) / 60)) + 'm';
  if (s >= 60) return Math.floor(s / 60) + 'm ' + two(s % 60) + 's';
  return s + 's';
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

// ------------------------------------------------------------------ the server

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error.message : 'HTTP ' + status);
    this.status = status;
    this.body = body;
  }
}

async function call(path, init) {
  let r;
  try {
    r = await fetch(path, init);
  } catch (e) {
    checkServer();
    throw new Error('Soko is not answering (' + e.message + ')');
  }
  const body = await r.json();
  if (!r.ok) {
    if (r.status === 403 && body.error && body.error.type === 'key') serverStopped(); // another run now has this port
    throw new ApiError(r.status, body);
  }
  return body;
}

function get(path) {
  return call(path, { headers: { Accept: 'application/json', 'X-Soko-Key': TOKEN }, cache: 'no-store' });
}

function post(path, payload) {
  return call(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Soko-Token': TOKEN, 'X-Soko-Key': TOKEN, Accept: 'application/json' },
    body: JSON.stringify(payload || {}),
    cache: 'no-store',
  });
}

// ------------------------------------------------------------------ digests and messages

/** A sha256 shown by its first 12 hex digits; the title holds the whole value and the button copies it. */
function digest(hex, what) {
  const full = 'sha256:' + hex;
  const copy = el('button', { type: 'button', class: 'copy', text: 'Copy', 'aria-label': 'Copy the full sha256 of ' + what,
    'data-copy': full });
  copy.addEventListener('click', () => copyText(full, 'the sha256 of ' + what));
  return el('span', { class: 'digest' }, el('code', { title: full, text: hex.slice(0, SHORT_HEX) + '…' }), copy);
}

async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    // Without clipboard access: copy through a selected text field, the older way.
    const area = el('textarea', { value: text, style: 'position:fixed;top:0;left:0;width:1px;height:1px;opacity:0' });
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    if (!ok) {
      status('Could not copy; ' + what + ' is ' + text, 'info');
      return;
    }
  }
  status('Copied ' + what + ' to the clipboard: ' + text, 'ok');
}

/** Text with every 64-digit hex run (a sha256, also inside a blob path) shortened to a digest widget. */
function withDigests(text, what) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(/[0-9a-f]{64}/g)) {
    out.push(text.slice(last, m.index), digest(m[0], what));
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out.filter((x) => x !== '');
}

/** One file's problem, naming the file once (the store's message starts with the file's path). */
function problemItem(f) {
  const message = f.problem || 'has changed or was never checked since it was stored; Verify re-hashes it';
  const name = el('span', { class: 'file', text: f.path });
  if (!f.problem) return el('li', {}, name, ' ', ...withDigests(message, f.path));
  for (const sep of [': ', ' ']) {
    if (message.startsWith(f.path + sep)) {
      return el('li', {}, name, sep, ...withDigests(message.slice(f.path.length + sep.length), f.path));
    }
  }
  return el('li', {}, ...withDigests(message, f.path));
}

// ------------------------------------------------------------------ rendering

let diagnostics = null;
let catalog = null;

/** Re-renders keep the keyboard focus on the same action (its data-key) when it is still there. */
function keepingFocus(render) {
  const key = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
  render();
  if (key) {
    const again = document.querySelector('[data-key="' + CSS.escape(key) + '"]');
    if (again && !again.disabled) again.focus();
  }
  if (gone) disableActions();
}

function busyNames() {
  return new Set([...installs.values()].filter((i) => i.state === 'running').map((i) => i.name));
}

function actionButton(text, key, cls, label, onClick, busy) {
  const b = el('button', { type: 'button', class: cls, text, 'aria-label': label, 'data-key': key });
  b.disabled = busy;
  b.addEventListener('click', onClick);
  return b;
}

/** The actions for an installed model's state: corrupt or missing → Repair, unverified → Verify. */
function modelActions(m, busy) {
  const out = [];
  if (busy) {
    out.push(el('span', { class: 'tag busy', text: 'installing…' }));
  }
  if (m.state === 'corrupt' || m.state === 'missing') {
    out.push(actionButton('Repair…', 'repair:' + m.name, 'primary', 'Repair ' + m.name, () => repair(m.name), busy));
  }
  out.push(actionButton('Verify', 'verify:' + m.name, m.state === 'unverified' ? 'primary' : '', 'Verify ' + m.name,
    () => verifyModels(m.name, false), busy));
  out.push(...PENDING.updateActions(m, busy));
  out.push(actionButton('Remove', 'remove:' + m.name, 'danger', 'Remove ' + m.name, () => removeModel(m), busy));
  return el('div', { class: 'buttons' }, ...out);
}

function modelDetails(m) {
  const kv = (k, ...v) => [el('dt', { text: k }), el('dd', {}, ...v)];
  const aliases = catalog ? (catalog.models.find((c) => c.name === m.name) || { aliases: [] }).aliases : [];
  const lic = [m.license.spdx];
  if (/^https?:/.test(m.license.url)) lic.push(' · ', el('a', { href: m.license.url, target: '_blank', rel: 'noopener noreferrer', text: 'licence text' }));
  if (m.license.attribution) lic.push(el('div', { class: 'desc', text: m.license.attribution }));
  const files = el('ul', { class: 'files' }, ...m.files.map((f) => el('li', { 'data-file': f.path },
    el('span', { class: 'file', text: f.path }), ' · ' + bytes(f.size) + ' · ' + (STATE_WORDS[f.state] || f.state) + ' · ',
    digest(f.sha256, f.path))));
  return el('details', { class: 'more' }, el('summary', { text: 'Details', 'aria-label': 'Details of ' + m.name }),
    el('dl', { class: 'kv' },
      ...kv('Files', files),
      ...kv('Licence', ...lic),
      ...kv('Engine', m.engine.id + ' ' + m.engine.version),
      ...kv('Origin', el('span', { class: 'path', text: m.origin })),
      ...kv('Installed', m.installedAt),
      ...kv('Last used', lastUsed(m.name)),
      ...kv('Verified', m.verifiedAt || 'not since it last changed'),
      ...kv('Aliases', aliases.length ? aliases.join(', ') : '—')));
}

function renderModels(models) {
  const table = $('models');
  const tbody = table.tBodies[0];
  const busy = busyNames();
  tbody.replaceChildren();
  $('models-count').textContent = '(' + models.length + ')';
  $('models-empty').hidden = models.length > 0;
  table.hidden = models.length === 0;
  $('verify-all').disabled = models.length === 0;
  $('verify-full').disabled = models.length === 0;
  for (const m of models) {
    const nameCell = el('td', { class: 'main' },
      el('div', {}, el('span', { class: 'name', text: m.name }), el('span', { class: 'ver', text: m.version }),
        m.demo ? el('span', { class: 'tag', text: 'demo' }) : null,
        m.bundled ? el('span', { class: 'tag', text: 'bundled' }) : null),
      el('div', { class: 'desc', text: m.description }),
      modelDetails(m));
    const state = el('span', { class: 'badge', 'data-state': m.state, text: STATE_WORDS[m.state] || m.state });
    const bad = m.files.filter((f) => f.state !== 'verified');
    const stateCell = el('td', { class: 'state', 'data-label': 'State' }, el('div', {}, state,
      bad.length ? el('ul', { class: 'problems' }, ...bad.map(problemItem)) : null));
    tbody.append(el('tr', { 'data-model': m.name, 'data-state': m.state },
      nameCell,
      el('td', { text: tasks(m.tasks), 'data-label': 'Tasks' }),
      el('td', { class: 'num', text: bytes(m.size), 'data-label': 'Size' }),
      el('td', { text: m.license.spdx, 'data-label': 'Licence' }),
      stateCell,
      el('td', { class: 'act', 'data-label': 'Actions' }, modelActions(m, busy.has(m.name)))));
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
  // One scale for every bar, the free space included: a 166 B cache is a sliver, not a full bar.
  const scale = used + s.free;
  const width = (v) => (scale === 0 ? 0 : (v / scale) * 100).toFixed(4) + '%';
  $('chart-scale').textContent = 'Every bar is drawn on one scale: ' + bytes(scale) + ', what Soko uses plus the free space.';
  const row = (kind, label, cls, v, note) => chart.append(
    el('div', { class: 'label', id: 'lbl-' + kind }, el('span', { class: 'swatch ' + cls, 'aria-hidden': 'true' }), label),
    el('div', { class: 'track', role: 'img', 'aria-labelledby': 'lbl-' + kind + ' val-' + kind },
      el('div', { class: 'bar ' + cls, 'data-kind': kind, 'data-bytes': String(v), style: 'width:' + width(v) })),
    el('div', { class: 'bytes', id: 'val-' + kind, 'data-kind': kind, 'data-bytes': String(v), text: bytes(v) }),
    el('div', { class: 'note', text: note }));
  KINDS.forEach(([kind, label, cls, , note], i) => row(kind, label, cls, values[i], note(s)));
  chart.append(el('div', { class: 'sep' }));
  row('free', 'Free on disk', 'k-free', s.free, 'Soko uses ' + bytes(used) + ' in total');
  PENDING.budget(s);

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

/** A catalog row's state and action agree with the installed row: a corrupt install is not a green "Installed". */
function catalogAction(m, installed, busy) {
  if (busy) {
    const b = actionButton('Installing…', 'install:' + m.name, 'primary', 'Installing ' + m.name, () => {}, true);
    return [b];
  }
  if (installed && installed.version === m.version) {
    const words = { verified: 'Installed', unverified: 'Installed, unverified', corrupt: 'Installed, corrupt', missing: 'Installed, files missing' };
    const badge = el('span', { class: 'badge', 'data-state': installed.state === 'verified' ? 'installed' : installed.state,
      text: words[installed.state] || installed.state });
    if (installed.state === 'corrupt' || installed.state === 'missing') {
      return [badge, actionButton('Repair…', 'catalog-repair:' + m.name, 'primary', 'Repair ' + m.name, () => repair(m.name), false)];
    }
    if (installed.state === 'unverified') {
      return [badge, actionButton('Verify', 'catalog-verify:' + m.name, '', 'Verify ' + m.name, () => verifyModels(m.name, false), false)];
    }
    return [badge];
  }
  const install = actionButton('Install…', 'install:' + m.name, 'primary', 'Install ' + m.name + ' ' + m.version,
    () => askToInstall(m.name + '@' + m.version), false);
  install.dataset.install = m.name;
  // Another version installed: installing this one replaces it (PENDING.update will say "Update" with its size).
  return installed ? [el('span', { class: 'tag', text: 'installed: ' + installed.version }), install] : [install];
}

function renderCatalog(c) {
  const tbody = $('catalog').tBodies[0];
  const busy = busyNames();
  const installed = new Map((diagnostics ? diagnostics.models : []).map((m) => [m.name, m]));
  tbody.replaceChildren();
  for (const m of c.models) {
    tbody.append(el('tr', { 'data-catalog-model': m.name },
      el('td', { class: 'main' }, el('div', {}, el('span', { class: 'name', text: m.name }), el('span', { class: 'ver', text: m.version }),
        m.bundled ? el('span', { class: 'tag', text: 'bundled' }) : null, m.demo ? el('span', { class: 'tag', text: 'demo' }) : null,
        m.nonCommercial ? el('span', { class: 'tag nc', text: 'non-commercial' }) : null,
        recommendedTag(m)),
        el('div', { class: 'desc', text: m.description }), recommendedWhy(m)),
      el('td', { text: tasks(m.tasks), 'data-label': 'Tasks' }),
      el('td', { class: 'num', text: bytes(m.size), 'data-label': 'Size' }),
      el('td', { text: m.license, 'data-label': 'Licence' }),
      el('td', { class: 'act', 'data-label': 'Install' }, el('div', { class: 'buttons' },
        ...catalogAction(m, installed.get(m.name), busy.has(m.name))))));
  }
}

function renderRows() {
  keepingFocus(() => {
    if (diagnostics) renderModels(diagnostics.models);
    if (catalog) renderCatalog(catalog);
  });
}

async function refresh() {
  try {
    const [d, c, running, b] = await Promise.all([get('/api/diagnostics'), get('/api/catalog'), get('/api/installs'),
      get('/api/budget')]);
    budgetInfo = b;
    diagnostics = d;
    catalog = c;
    for (const i of running.installs) trackInstall(i);
    keepingFocus(() => {
      renderModels(d.models);
      renderStorage(d.storage, d.roots);
      renderMachine(d.machine);
      renderEngines(d.engines);
      renderCatalog(c);
    });
    document.body.dataset.loaded = String((Number(document.body.dataset.loaded) || 0) + 1);
  } catch (e) {
    if (!gone) status('Could not load the diagnostics: ' + e.message, 'error');
  }
}

// ------------------------------------------------------------------ recommended for this computer

/** The pick's reason without the model's name before it ("whisper-small-q5_1: best …" → "best …"). */
function withoutName(reason) {
  const i = reason.indexOf(': ');
  return i < 0 ? reason : reason.slice(i + 2);
}

/** "recommended for this computer" on a catalog row that `soko pull ALIAS` would install, the reasons as its title. */
function recommendedTag(m) {
  const r = m.recommendedFor || [];
  if (r.length === 0) return null;
  return el('span', { class: 'tag rec', text: 'recommended for this computer',
    title: r.map((x) => x.alias + ': ' + withoutName(x.reason)).join('\n') });
}

/** Which tasks the row is recommended for and why, as text under its description. */
function recommendedWhy(m) {
  const r = m.recommendedFor || [];
  if (r.length === 0) return null;
  return el('ul', { class: 'rec-why' }, ...r.map((x) => el('li', { 'data-alias': x.alias },
    el('span', { class: 'alias', text: x.alias }), ' — ' + withoutName(x.reason))));
}

// ------------------------------------------------------------------ still to come
// Places for what the CLI does not report yet. Each renders nothing until the server's JSON
// carries its data; fill one in, with its browser test, when its CLI feature exists.
/** GET /api/budget: the storage budget, last use, kept versions and updates available, by model name. */
let budgetInfo = null;

const PENDING = {
  // Update… (with its download size) for an installed model with a newer version, Rollback after one.
  updateActions: (m, busy) => {
    const out = [];
    const u = budgetInfo && budgetInfo.updates[m.name];
    if (u) {
      out.push(el('span', { class: 'tag', text: 'update available: ' + u.available }));
      out.push(actionButton('Update…', 'update:' + m.name, 'primary',
        'Update ' + m.name + ' to ' + u.available + ' (' + bytes(u.downloadBytes) + ' to download)',
        () => askToInstall(m.name, false, true), busy));
    }
    const b = budgetInfo && budgetInfo.models[m.name];
    if (b && b.previous) {
      out.push(actionButton('Roll back…', 'rollback:' + m.name, '', 'Roll back ' + m.name + ' to ' + b.previous,
        () => rollbackModel(m.name, b.previous), busy));
    }
    return out;
  },
  // The storage budget and its use, under the chart.
  budget: () => {
    const p = $('budget');
    if (!budgetInfo) {
      p.hidden = true;
      return;
    }
    p.hidden = false;
    p.replaceChildren(budgetInfo.budget
      ? 'Budget ' + budgetInfo.budget.value + ' (from ' + budgetInfo.budget.origin + '): ' + bytes(budgetInfo.used)
        + ' of ' + bytes(budgetInfo.budget.bytes) + ' used. Installs beyond it evict the least recently used models,'
        + ' never one in use, bundled or kept.'
      : 'No storage budget: models take what they need (' + bytes(budgetInfo.used) + ' now); set one below.');
    budgetForm();
  },
};

// ------------------------------------------------------------------ setting the budget

/** The form on the budget line: filled with the budget from the settings, Remove only when one is set there. */
function budgetForm() {
  const form = $('budget-form');
  form.hidden = false;
  const b = budgetInfo.budget;
  const input = $('budget-value');
  if (document.activeElement !== input && !input.dataset.edited) input.value = b && b.origin === 'settings' ? b.value : '';
  $('budget-unset').hidden = !(b && b.origin === 'settings');
}

/** Says what is wrong under a form's field (empty text clears it) and marks the field invalid for screen readers. */
function fieldError(fieldId, errorId, text) {
  const e = $(errorId);
  e.textContent = text || '';
  e.hidden = !text;
  if (text) $(fieldId).setAttribute('aria-invalid', 'true');
  else $(fieldId).removeAttribute('aria-invalid');
}

const budgetError = (text) => fieldError('budget-value', 'budget-error', text);

/** POST /api/budget, then show the budget the server now has in force (SOKO_BUDGET may still override it). */
async function setBudget(payload, done) {
  budgetError('');
  try {
    budgetInfo = await post('/api/budget', payload);
    delete $('budget-value').dataset.edited;
    PENDING.budget();
    const b = budgetInfo.budget;
    status(done + (b && b.origin !== 'settings' ? '; ' + b.origin + ' is set and overrides it (' + b.value + ')' : ''), 'ok');
  } catch (e) {
    budgetError(e.message);
    $('budget-value').focus();
  }
}

// ------------------------------------------------------------------ importing a bundle

const bundleError = (text) => fieldError('bundle-file', 'bundle-error', text);

/** POST /api/bundle/import with the file's bytes as the body: `soko bundle import FILE` for the page. */
async function importBundle(file) {
  bundleError('');
  const submit = $('bundle-submit');
  submit.disabled = true;
  status('Importing ' + file.name + ' (' + bytes(file.size) + '): every file is checked against its sha256…', 'info');
  // The CLI's choices for an import: unsigned models and non-commercial licences are refused unless asked for.
  const headers = { 'Content-Type': 'application/x-tar', 'X-Soko-Token': TOKEN, 'X-Soko-Key': TOKEN, Accept: 'application/json',
    'X-Soko-File-Name': encodeURIComponent(file.name) };
  if ($('bundle-trust-unsigned').checked) {
    headers['X-Soko-Trust-Unsigned'] = 'yes';
  }
  const licenses = $('bundle-licenses').value.trim();
  if (licenses) {
    headers['X-Soko-Accept-License'] = licenses;
  }
  try {
    const r = await call('/api/bundle/import', {
      method: 'POST',
      headers,
      body: file,
      cache: 'no-store',
    });
    status('Imported ' + file.name + ': ' + r.models.map((m) => (m.alreadyInstalled ? 'already installed ' : 'installed ') + m.model)
      .join(', ') + ' (' + r.blobsWritten + ' file(s) written, ' + r.blobsSkipped + ' already in the store)', 'ok');
    $('bundle-file').value = '';
    refresh();
  } catch (e) {
    $('status').hidden = true;
    bundleError(e.message);
    $('bundle-file').focus();
  } finally {
    submit.disabled = gone;
  }
}

function wireBundle() {
  $('bundle-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const file = $('bundle-file').files[0];
    if (!file) {
      bundleError('Choose a bundle file (.tar) first.');
      $('bundle-file').focus();
      return;
    }
    importBundle(file);
  });
}

function wireBudget() {
  const input = $('budget-value');
  input.addEventListener('input', () => { input.dataset.edited = '1'; });
  $('budget-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = input.value.trim();
    if (!v) {
      budgetError('Give a size, such as 20GiB, 500MiB or 1.5TB.');
      input.focus();
      return;
    }
    setBudget({ budget: v }, 'Storage budget set to ' + v);
  });
  $('budget-unset').addEventListener('click', () => setBudget({ unset: true }, 'Storage budget removed'));
}

/** When an engine last loaded the model, and whether it is kept, as the details say it. */
function lastUsed(name) {
  const b = budgetInfo && budgetInfo.models[name];
  if (!b) return '—';
  return (b.lastUsed || 'never since it was installed') + (b.kept ? ' · kept: never evicted' : '');
}

async function rollbackModel(name, version) {
  const ok = await confirmAction('Roll back ' + name + '?', [el('p', { text: name + ' goes back to ' + version
    + ', the version the last update replaced, once its files verify. The version left is kept, so you can go forward again.' })],
  'Roll back');
  if (!ok) return;
  try {
    const r = await post('/api/rollback', { model: name });
    status('Rolled ' + r.name + ' back to ' + r.version + ' (verified).', 'ok');
    refresh();
  } catch (e) {
    status(e.message, 'error');
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

// ------------------------------------------------------------------ install and repair, with consent

const installs = new Map(); // id → { id, model, name, repair, state, done: {file: bytes}, speed: {file: B/s}, total, box }
const finished = new Set(); // ids of installs that ended

/**
 * Installs {@code target} (a name, name@version or alias) or, with repair, fetches again the bad
 * files of the installed model {@code target}. Asks first when bytes must be downloaded; an
 * install also asks, to show the licence, when nothing is downloaded.
 */
async function askToInstall(target, repairing, updating) {
  let plan;
  try {
    plan = await post('/api/plan', repairing ? { model: target, repair: true }
      : updating ? { model: target, update: true } : { model: target });
  } catch (e) {
    status(e.message, 'error');
    return;
  }
  if (busyNames().has(plan.name)) {
    status(plan.name + ' is being installed already; wait for it or cancel it.', 'info');
    return;
  }
  let accept;
  if (plan.downloadNeeded || !repairing || plan.nonCommercial) {
    $('consent-verb').textContent = repairing ? 'Repair' : updating ? 'Update' : 'Install';
    $('consent-accept').textContent = repairing ? 'Accept and repair' : updating ? 'Accept and update' : 'Accept and install';
    $('consent-model').textContent = plan.name + ' ' + plan.version;
    $('consent-intro').textContent = repairing
      ? 'Only the missing or corrupt files are fetched again: ' + plan.files.map((f) => f.path).join(', ') + '.'
      : (updating ? 'The installed version stays, for Roll back, until gc or the budget needs its space. ' : '')
        + plan.description;
    if (plan.evictions && plan.evictions.length) {
      $('consent-intro').textContent += ' To stay within the storage budget, this evicts: ' + plan.evictions.map((e) =>
        e.name + ' ' + e.version + (e.previousVersion ? ' (kept for rollback)' : '') + ', ' + bytes(e.bytes)
        + (e.lastUsed ? ', last used ' + e.lastUsed.substring(0, 10) : ', never used')).join('; ') + '.';
    }
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
    // A licence that forbids commercial use is accepted by name: Accept stays disabled until its box is ticked.
    const nc = $('consent-nc');
    const ncBox = $('consent-nc-accept');
    nc.hidden = !plan.nonCommercial;
    ncBox.checked = false;
    $('consent-nc-text').textContent = 'I accept the ' + plan.license.spdx + ' licence: non-commercial use only.';
    $('consent-accept').disabled = plan.nonCommercial;
    ncBox.onchange = () => { $('consent-accept').disabled = plan.nonCommercial && !ncBox.checked; };
    const answer = await ask($('consent'));
    if (gone) return;
    if (answer !== 'accept') {
      status('Cancelled: nothing was downloaded or ' + (repairing ? 'repaired.' : 'installed.'), 'info');
      return;
    }
    accept = { version: plan.version, bytesToDownload: plan.bytesToDownload, hosts: plan.hosts, license: plan.license.spdx };
    if (plan.nonCommercial && ncBox.checked) accept.acceptLicense = plan.license.spdx;
  }
  try {
    const body = { model: target };
    if (repairing) body.repair = true;
    if (updating) body.update = true;
    if (accept) body.accept = accept;
    const r = await post('/api/install', body);
    trackInstall({ id: r.id, model: r.model, name: r.plan.name, repair: r.repair, plan: r.plan }, true);
  } catch (e) {
    status(e.message, 'error');
  }
}

function repair(name) {
  return askToInstall(name, true);
}

/**
 * Shows a progress box for an install (once per install, whether the event stream or the POST's
 * answer tells first). Started from this page, it takes the keyboard focus: the button that
 * started it is disabled now, and Cancel (or Dismiss, when it is over already) is what comes next.
 */
function trackInstall(info, startedHere) {
  if (!finished.has(info.id) && !installs.has(info.id)) addProgressBox(info);
  const i = installs.get(info.id);
  if (startedHere && i && (!document.activeElement || document.activeElement === document.body)) {
    i.box.querySelector('.progress-head button').focus();
  }
}

function addProgressBox(info) {
  const plan = info.plan;
  const i = { id: info.id, model: info.model, name: info.name, repair: info.repair, state: 'running', done: {}, speed: {}, total: 0 };
  for (const f of plan.files) {
    i.done[f.path] = f.alreadyPresent;
    i.total += f.size;
  }
  // A new box per install; an older finished box of the same model goes.
  for (const old of document.querySelectorAll('#progress-list .progress-box[data-model="' + CSS.escape(i.name) + '"]')) {
    installs.delete(Number(old.dataset.installId));
    old.remove();
  }
  const labelId = 'progress-label-' + i.id;
  const cancel = el('button', { type: 'button', class: 'cancel', text: 'Cancel', 'data-key': 'cancel:' + i.id,
    'aria-label': 'Cancel ' + (i.repair ? 'repairing ' : 'installing ') + i.name });
  cancel.addEventListener('click', () => cancelInstall(i));
  i.box = el('div', { class: 'progress-box', 'data-install-id': String(i.id), 'data-model': i.name, 'data-state': 'running' },
    el('div', { class: 'progress-head' },
      el('span', { class: 'progress-label', id: labelId, text: (i.repair ? 'Repairing ' : 'Installing ') + i.model }), cancel),
    el('div', { class: 'progress-row' },
      el('progress', { max: 100, value: 0, 'aria-labelledby': labelId }),
      el('span', { class: 'pct', text: '0%' })),
    el('p', { class: 'detail' }, el('span', { class: 'what', text: plan.downloadNeeded ? 'Downloading from ' + plan.hosts.join(', ') : 'Copying from this computer' }),
      ' ', el('span', { class: 'eta' })));
  $('progress-list').prepend(i.box);
  installs.set(i.id, i);
  setProgress(i);
  renderRows();
}

function sum(o) {
  return Object.values(o).reduce((a, b) => a + b, 0);
}

function setProgress(i) {
  const pct = i.total === 0 ? 0 : sum(i.done) / i.total * 100;
  const v = Math.max(0, Math.min(100, Math.floor(pct)));
  i.box.querySelector('progress').value = v;
  i.box.querySelector('.pct').textContent = v + '%';
}

function onTransfer(e) {
  const i = installs.get(e.id);
  if (!i || i.state !== 'running') return;
  const what = i.box.querySelector('.what');
  if (e.event === 'progress') {
    i.done[e.file] = e.bytes;
    i.speed[e.file] = e.bytesPerSecond;
  } else if (e.event === 'started') {
    i.done[e.file] = e.resumedFrom;
  } else if (e.event === 'done') {
    i.done[e.file] = e.size;
    delete i.speed[e.file];
  } else if (e.event === 'failed') {
    delete i.speed[e.file];
  } else if (e.event === 'retrying') {
    what.textContent = 'Retrying ' + e.file + ': ' + e.reason;
  } else if (e.event === 'verifying') {
    what.textContent = 'Checking ' + e.file;
  }
  const speed = sum(i.speed);
  const left = i.total - sum(i.done);
  if (e.event === 'progress' && speed > 0) {
    what.textContent = bytes(sum(i.done)) + ' of ' + bytes(i.total) + ' · ' + bytes(speed) + '/s';
  }
  const etaText = speed > 0 && left > 0 ? eta(left / speed) + ' left' : '';
  i.box.querySelector('.eta').textContent = etaText ? '· ' + etaText : '';
  i.box.dataset.eta = etaText;
  setProgress(i);
}

function onInstall(e) {
  if (e.state === 'started') {
    trackInstall(e);
    return;
  }
  let i = installs.get(e.id);
  if (!i) {
    if (finished.has(e.id)) return;
    trackInstall({ id: e.id, model: e.model, name: e.name, repair: e.repair, plan: { files: [], downloadNeeded: false, hosts: [] } });
    i = installs.get(e.id);
  }
  finished.add(e.id);
  endInstall(i, e.state);
  const label = i.box.querySelector('.progress-label');
  const what = i.box.querySelector('.what');
  if (e.state === 'done') {
    i.total = Math.max(i.total, 1);
    i.done = { all: i.total };
    setProgress(i);
    label.textContent = (i.repair ? 'Repaired ' : 'Installed ') + i.model;
    what.textContent = 'Every file was verified.';
    status((i.repair ? 'Repaired ' : 'Installed ') + e.result.name + ' ' + e.result.version + '.', 'ok');
  } else if (e.state === 'cancelled') {
    label.textContent = (i.repair ? 'Repair of ' : 'Install of ') + i.model + ' cancelled';
    what.textContent = 'The bytes downloaded so far are kept: installing again resumes from them.';
    status('Cancelled ' + (i.repair ? 'the repair of ' : 'the install of ') + i.model + ': ' + e.message, 'info');
  } else {
    label.textContent = (i.repair ? 'Repair of ' : 'Install of ') + i.model + ' failed';
    what.textContent = e.message;
    status((i.repair ? 'Repair of ' : 'Install of ') + i.model + ' failed: ' + e.message, 'error');
  }
}

/** The box stops moving; its Cancel becomes Dismiss. */
function endInstall(i, state) {
  i.state = state;
  i.box.dataset.state = state;
  i.box.querySelector('.eta').textContent = '';
  delete i.box.dataset.eta;
  const dismiss = el('button', { type: 'button', class: 'quiet', text: 'Dismiss', 'data-key': 'dismiss:' + i.id,
    'aria-label': 'Dismiss this message about ' + i.name });
  dismiss.addEventListener('click', () => {
    i.box.remove();
    installs.delete(i.id);
    $('install-name').focus();
  });
  const focused = i.box.contains(document.activeElement);
  i.box.querySelector('.cancel').replaceWith(dismiss);
  if (focused) dismiss.focus();
  renderRows();
}

async function cancelInstall(i) {
  try {
    await post('/api/cancel', { id: i.id });
    i.box.querySelector('.what').textContent = 'Cancelling…';
  } catch (e) {
    status(e.message, 'error');
  }
}

// ------------------------------------------------------------------ other actions

async function verifyModels(name, full) {
  try {
    status(full ? 'Re-hashing every file…' : 'Verifying…', 'info');
    const r = await post('/api/verify', name ? { model: name, full } : { full });
    const bad = r.models.filter((m) => m.state !== 'verified');
    status(bad.length === 0 ? 'Verified ' + r.models.length + ' model(s): all good.'
      : bad.map((m) => m.name + ' is ' + (STATE_WORDS[m.state] || m.state).toLowerCase()).join('; ') + '. Repair fetches its bad files again.',
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
  if (!ok || gone) return;
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
    if (gone) return;
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
    if (!ok || gone) return;
    const r = await post('/api/gc', { dryRun: false });
    status('Removed ' + r.removed.length + ' orphan(s), freed ' + bytes(r.bytesFreed) + '.', 'ok');
    await refresh();
  } catch (e) {
    status(e.message, 'error');
  }
}

// ------------------------------------------------------------------ live updates and a server that goes away

let events = null;
let gone = false;
let probeTimer = null;
const PROBE_AFTER_MS = 1500;
const PROBE_TIMEOUT_MS = 2000;

function connect() {
  // A browser cannot add headers to an event stream: the key goes in the query, as in the printed URL.
  events = new EventSource('/api/events?key=' + encodeURIComponent(TOKEN));
  events.addEventListener('open', () => {
    document.body.dataset.live = 'true';
    $('live-text').textContent = 'Live';
  });
  events.addEventListener('error', () => {
    if (gone) return;
    document.body.dataset.live = 'false';
    $('live-text').textContent = 'Reconnecting…';
    // The browser retries on its own (each failed retry is another error); whether the server is
    // still there, ask it once, a moment after the stream first broke.
    if (probeTimer === null) probeTimer = setTimeout(checkServer, PROBE_AFTER_MS);
  });
  events.addEventListener('stopped', serverStopped); // sent by a server that stops in order
  events.addEventListener('transfer', (m) => onTransfer(JSON.parse(m.data)));
  events.addEventListener('install', (m) => onInstall(JSON.parse(m.data)));
  events.addEventListener('changed', () => refresh());
}

/** Asks the server whether it is still this run's; no answer, or another run's refusal, means it stopped. */
async function checkServer() {
  probeTimer = null;
  if (gone || (events && events.readyState === EventSource.OPEN)) return;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), PROBE_TIMEOUT_MS);
  let alive = false;
  try {
    const r = await fetch('/api/installs', { headers: { Accept: 'application/json', 'X-Soko-Key': TOKEN }, cache: 'no-store', signal: ctl.signal });
    alive = r.ok;
  } catch (e) {
    alive = false;
  } finally {
    clearTimeout(timer);
  }
  if (!alive) {
    serverStopped();
  } else if (events.readyState === EventSource.CLOSED) {
    setTimeout(connect, PROBE_AFTER_MS); // refused for a while (too many tabs): try again
  }
}

function serverStopped() {
  if (gone) return;
  gone = true;
  clearTimeout(probeTimer);
  probeTimer = null;
  if (events) events.close();
  document.body.dataset.live = 'false';
  document.body.dataset.server = 'stopped';
  $('live-text').textContent = 'Stopped';
  $('stopped').hidden = false;
  for (const d of document.querySelectorAll('dialog[open]')) d.close('cancel');
  for (const i of installs.values()) {
    if (i.state !== 'running') continue;
    i.state = 'stopped';
    i.box.dataset.state = 'stopped';
    i.box.querySelector('.progress-label').textContent = 'Interrupted: Soko stopped';
    i.box.querySelector('.what').replaceChildren('The bytes downloaded so far are kept: installing ' + i.name + ' again after ',
      el('code', { text: 'soko serve' }), ' resumes from them.');
    i.box.querySelector('.eta').textContent = '';
    i.box.querySelector('.cancel').remove();
  }
  disableActions();
}

/** With no server, no action can work: every button and field goes quiet except Copy, which needs none. */
function disableActions() {
  for (const c of document.querySelectorAll('main button, main input, dialog button')) {
    if (!c.classList.contains('copy')) c.disabled = true;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('verify-all').addEventListener('click', () => verifyModels(null, false));
  $('verify-full').addEventListener('click', () => verifyModels(null, true));
  $('clear-cache').addEventListener('click', clearCache);
  $('gc').addEventListener('click', gc);
  $('install-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const name = $('install-name').value.trim();
    if (name) askToInstall(name, false);
  });
  wireBudget();
  wireBundle();
  connect();
  refresh();
});
