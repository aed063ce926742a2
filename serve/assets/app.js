// The facilitator's page: it uses only the HTTP API of docs/serve.md.
'use strict';

const params = new URLSearchParams(location.search);
const KEY = params.get('key') || sessionStorage.getItem('smbsim-key') || '';
sessionStorage.setItem('smbsim-key', KEY);
const $ = (id) => document.getElementById(id);

const W = { state: null, epoch: -1, branch: -1, cols: {}, charts: [], ticks: 0, pending: {} };

async function api(path, body) {
  const opt = { headers: { 'X-Workshop-Key': KEY } };
  if (body !== undefined) { opt.method = 'POST'; opt.body = JSON.stringify(body); opt.headers['Content-Type'] = 'application/json'; }
  const r = await fetch(path, opt);
  const j = await r.json();
  if (!r.ok) { say(j.error || r.statusText); throw new Error(j.error); }
  say('');
  return j;
}

function say(text) { $('msg').textContent = text; }

// Charts: lane 0 solid, lane 1 dashed.
// A culture world (state.culture: Axelrod's model, no market) has no
// types, margins or exits: its charts are the distinct strategies, the
// cultural regions and the active links, and their x axis grows with the
// run (it absorbs long before simulation.ticks).
function makeCharts(lanes, culture) {
  const col = (name) => W.cols[name];
  const laneSeries = (name, colours, join) => lanes.map((ln, i) => ({ label: ln, color: colours[i], lane: i, col: col(name), dash: i === 1, join }));
  const types = [['alive_imitator', 'imitators', OI.orange], ['alive_innovator', 'innovators', OI.blue],
    ['alive_specialist', 'specialists', OI.green], ['alive_adaptive', 'adaptive', OI.purple]];
  const typeSeries = [];
  lanes.forEach((ln, i) => types.forEach(([c, label, colour]) =>
    typeSeries.push({ label, color: colour, lane: i, col: col(c), dash: i === 1, legend: i === 0 })));
  const two = [OI.blue, OI.vermillion];
  // a culture world's charts say what they count in their tooltips
  const tips = { 'c-div': '', 'c-types': 'Number of different strategies (trait vectors) among the sites',
    'c-margin': 'Connected regions of neighbouring sites with identical strategies (counted every simulation.regions_every ticks)',
    'c-surv': 'Links between neighbours that share some traits but not all: the links along which a site can still change' };
  for (const [id, tip] of Object.entries(tips)) { const c = $(id); c.dataset.label ??= c.getAttribute('aria-label'); c.title = culture ? tip : ''; c.setAttribute('aria-label', c.dataset.label); }
  W.market.title = culture ? 'The culture: sites in trait space' : 'The market: firms in practice space';
  if (culture) return labelled([
    new LineChart($('c-div'), { title: 'Diversity (effective strategies)', series: laneSeries('effective_strategies', two), yMax: 10, growX: true }),
    new LineChart($('c-types'), { title: 'Distinct strategies', series: laneSeries('distinct_strategies', two), yMax: 10, growX: true }),
    new LineChart($('c-margin'), { title: 'Cultural regions', series: laneSeries('regions', two, true), yMax: 10, growX: true }),
    new LineChart($('c-surv'), { title: 'Active links', series: laneSeries('active_edges', two), yMax: 10, growX: true }),
  ]);
  return [
    new LineChart($('c-div'), { title: 'Diversity (effective strategies)', series: laneSeries('effective_strategies', two), yMax: 10 }),
    new LineChart($('c-types'), { title: 'Firms alive by type', series: typeSeries, yMax: 10 }),
    new LineChart($('c-margin'), { title: 'Mean margin', series: laneSeries('mean_margin', two), yMax: 0.5 }),
    new LineChart($('c-surv'), { title: 'Initial firms in business', series: laneSeries('initial_surviving', two), yMax: 1, fmt: (v) => Math.round(v * 100) + ' %' }),
  ];
}

// labelled names each chart's canvas by its title (for screen readers).
function labelled(charts) {
  for (const ch of charts) ch.canvas.setAttribute('aria-label', ch.opts.title);
  return charts;
}

// load fetches the whole state with every row and redraws the charts.
async function load() {
  const st = await api('/api/state?rows=1');
  W.cols = {}; st.columns.forEach((c, i) => W.cols[c] = i);
  const oldCharts = W.charts;
  const kind = st.lanes.join('|') + (st.culture ? '|culture' : '');
  if (!oldCharts.length || W.lanes !== kind) {
    for (const f of document.querySelectorAll('#charts figure:not(#f-market)')) { const c = f.querySelector('canvas'); const n = c.cloneNode(); c.replaceWith(n); }
    W.charts = makeCharts(st.lanes, st.culture);
    W.lanes = kind;
  }
  for (const ch of W.charts) {
    ch.reset(st.ticks);
    ch.setGhosts(st.branches.filter((b) => b.rows).map((b) => b.rows.map((r) => [r[0], r[ch.opts.series[0].col]])));
    marks(ch, st);
    ch.push(st.rows);
    ch.fit();
    ch.redraw();
  }
  W.epoch = st.epoch; W.branch = st.branch;
  show(st);
  W.market.draw(await api('/api/market'));
  buildSettings(st);
}

function marks(ch, st) {
  for (const s of st.scheduled) ch.marks.push({ tick: s.tick, label: label(s.kind) });
  for (const s of st.fired) ch.marks.push({ tick: s.tick, label: label(s.kind) + ' ⚡' });
}

function label(kind) { return kind.replace('_', ' '); }

// show updates everything but the charts and the settings from a state.
function show(st) {
  const old = W.state;
  W.state = st;
  $('scenario').textContent = st.scenario;
  $('seed').textContent = st.seed;
  $('tick').textContent = st.tick;
  $('ticks').textContent = st.ticks;
  $('run').textContent = st.running ? '❚❚ Pause' : '▶ Run';
  $('run').classList.toggle('primary', !st.running);
  if (document.activeElement !== $('speed')) { $('speed').value = st.speed; $('speedval').textContent = st.speed; }
  $('save').href = '/api/workshop.toml?key=' + encodeURIComponent(KEY) + '&branch=' + st.branch;
  $('csv').href = '/api/timeseries.csv?key=' + encodeURIComponent(KEY) + '&branch=' + st.branch;
  fillSelect($('snap'), st.snapshots.map((t) => [t, 'tick ' + t]), st.snapshots.length ? st.snapshots[st.snapshots.length - 1] : '', $('snap').dataset.user);
  fillSelect($('branch'), st.branches.map((b) => [b.id, b.label + ' · tick ' + b.tick + (b.fired ? ' · ' + b.fired + ' fired' : '')]), st.branch);
  // no shocks in a culture world, so no no-shock counterfactual
  $('cmpmode').querySelector('[value="no_shock"]').disabled = st.culture;
  $('cmpmode').value = st.compare.mode;
  $('joinurl').textContent = st.join || location.origin + '/join';
  $('code').textContent = st.code;
  if (!$('qr').getAttribute('src')) $('qr').src = '/api/join.png?key=' + encodeURIComponent(KEY);
  $('people').innerHTML = st.participants.map((p) => `<li>${esc(p.name)} · firm ${p.firm} · ${p.alive ? 'in business' : '<b>out</b>'}${p.rule ? ' · ' + p.rule : ''}</li>`).join('');
  fillSelect($('presets'), st.presets.map((n) => [n, n]), st.presets[0] || '', true);
  $('runs').innerHTML = st.runs.map((r) => `<li>${r.seeds} seeds, branch ${r.branch}: ` +
    (r.status === 'done' ? `<a href="${r.report}?key=${encodeURIComponent(KEY)}" target="_blank">report</a>` : r.status === 'failed' ? 'failed: ' + esc(r.error) : 'running…') + '</li>').join('');
  if (!old || old.shock_kinds.join() !== st.shock_kinds.join() || old.culture !== st.culture) buildShocks(st);
  $('f-people').hidden = st.culture;
  $('no-people').hidden = !st.culture;
  // new fired shocks: mark them on the charts
  if (old && old.epoch === st.epoch && old.branch === st.branch) {
    for (const s of st.fired.slice(old.fired.length)) for (const ch of W.charts) ch.mark(s.tick, label(s.kind) + ' ⚡');
  }
}

function esc(t) { const d = document.createElement('div'); d.textContent = t; return d.innerHTML; }

// fillSelect sets a select's options; it selects value unless keep is set
// and the user's choice is still an option.
function fillSelect(sel, items, value, keep) {
  const html = items.map(([v, t]) => `<option value="${esc(String(v))}">${esc(t)}</option>`).join('');
  const cur = sel.value;
  if (sel.innerHTML !== html) sel.innerHTML = html;
  sel.value = keep && items.some(([v]) => String(v) === cur) ? cur : value;
}

function buildShocks(st) {
  const nav = $('shocks');
  nav.classList.toggle('none', st.culture);
  if (st.culture) {
    nav.innerHTML = '<b>No shocks:</b> a culture world (Axelrod\'s model) has no market for a shock to hit.';
    return;
  }
  nav.innerHTML = '<b>Fire now:</b>';
  st.shock_kinds.forEach((k, i) => {
    const b = document.createElement('button');
    b.textContent = `${i + 1} ${label(k)}`;
    b.dataset.kind = k;
    b.setAttribute('aria-keyshortcuts', String(i + 1));
    b.title = `Fire a ${label(k)} at the next tick (${i + 1})`;
    b.onclick = () => fire(k);
    nav.appendChild(b);
  });
  const ps = document.createElement('span');
  ps.className = 'params';
  for (const c of st.shock_params) {
    const id = 'shock-' + c.key;
    const lab = document.createElement('label');
    lab.title = c.doc + ' Allowed: ' + c.allowed;
    lab.append(c.key + ' ', input(c, id));
    ps.appendChild(lab);
  }
  nav.appendChild(ps);
}

async function fire(kind) {
  const values = {};
  for (const c of W.state.shock_params) values[c.key] = valueOf($('shock-' + c.key), c);
  try { await api('/api/shock', { kind, values }); say(`${label(kind)} fired: it acts from tick ${W.state.tick + 1}`); } catch (e) { }
}

function input(c, id) {
  let el;
  if (c.kind === 'enum' || c.kind === 'dimension') {
    el = document.createElement('select');
    for (const v of c.values) { const o = document.createElement('option'); o.value = v; o.textContent = v === '' ? '(none)' : v; el.appendChild(o); }
    el.value = c.value;
  } else if (c.kind === 'bool') {
    el = document.createElement('input'); el.type = 'checkbox'; el.checked = c.value;
  } else if (c.kind === 'list' || c.kind === 'string') {
    el = document.createElement('input'); el.type = 'text'; el.value = Array.isArray(c.value) ? c.value.join(', ') : c.value;
  } else {
    el = document.createElement('input'); el.type = 'number'; el.value = c.value;
    if (c.min !== undefined) el.min = c.min;
    if (c.max !== undefined) el.max = c.max;
    el.step = c.kind === 'int' ? '1' : 'any';
  }
  el.id = id;
  el.dataset.initial = valueOf(el, c);
  return el;
}

function valueOf(el, c) {
  if (c.kind === 'bool') return el.checked ? 'true' : 'false';
  return String(el.value);
}

// Settings: one field per declared parameter, grouped by table; the tables
// a workshop uses most are open.
const OPEN = new Set(['population', 'population.mix', 'biases', 'network']);
function buildSettings(st) {
  const root = $('settings');
  if (root.dataset.epoch === String(st.epoch)) return;
  root.dataset.epoch = st.epoch;
  root.innerHTML = '';
  const groups = new Map();
  for (const c of st.settings) {
    if (!groups.has(c.section)) groups.set(c.section, []);
    groups.get(c.section).push(c);
  }
  for (const [sec, cs] of groups) {
    const d = document.createElement('details');
    d.open = OPEN.has(sec);
    const s = document.createElement('summary'); s.textContent = sec; d.appendChild(s);
    for (const c of cs) {
      const f = document.createElement('div'); f.className = 'field';
      const id = 'set-' + c.key;
      const l = document.createElement('label'); l.htmlFor = id; l.textContent = c.key.slice(sec.length + 1); l.title = c.doc + (c.allowed ? ' Allowed: ' + c.allowed : '');
      const el = input(c, id);
      el.dataset.key = c.key; el.dataset.kind = c.kind; el.title = l.title;
      el.addEventListener('input', () => f.classList.toggle('changed', valueOf(el, c) !== el.dataset.initial));
      el.addEventListener('change', () => f.classList.toggle('changed', valueOf(el, c) !== el.dataset.initial));
      f.append(l, el); d.appendChild(f);
    }
    root.appendChild(d);
  }
}

async function applySettings() {
  const values = {};
  for (const el of document.querySelectorAll('#settings [data-key]')) {
    const v = el.dataset.kind === 'bool' ? (el.checked ? 'true' : 'false') : String(el.value);
    if (v !== el.dataset.initial) values[el.dataset.key] = v;
  }
  try { await api('/api/settings', { values, reset: true }); $('settings').dataset.epoch = ''; } catch (e) { }
}

// The event stream: "state" after every change, "tick" with new rows.
function connect() {
  const es = new EventSource('/api/events?key=' + encodeURIComponent(KEY));
  es.addEventListener('state', (e) => {
    const st = JSON.parse(e.data);
    if (st.epoch !== W.epoch || st.branch !== W.branch) { load(); return; }
    show(st);
  });
  es.addEventListener('tick', (e) => {
    const ev = JSON.parse(e.data);
    if (ev.branch !== W.branch) return;
    const lanes = ev.lanes;
    const last = lanes[0][lanes[0].length - 1];
    if (last) $('tick').textContent = last[0];
    for (const ch of W.charts) ch.push(lanes);
  });
  es.addEventListener('market', (e) => {
    const ev = JSON.parse(e.data);
    if (ev.branch === W.branch) W.market.draw(ev);
  });
  es.onerror = () => { say('connection lost: reconnecting…'); };
  es.onopen = () => { say(''); load(); };
}

$('run').onclick = () => api('/api/control', { action: W.state && W.state.running ? 'pause' : 'run' });
$('step').onclick = () => api('/api/control', { action: 'step' });
$('reset').onclick = () => api('/api/control', { action: 'reset' });
$('speed').oninput = () => { $('speedval').textContent = $('speed').value; };
$('speed').onchange = () => api('/api/control', { action: 'speed', speed: Number($('speed').value) });
$('apply').onclick = applySettings;
$('cmpapply').onclick = () => api('/api/compare', { mode: $('cmpmode').value, sets: $('cmpsets').value.split('\n').map((s) => s.trim()).filter(Boolean) });
$('snap').onchange = () => { $('snap').dataset.user = '1'; };
$('rewind').onclick = () => { delete $('snap').dataset.user; api('/api/rewind', { tick: Number($('snap').value) }); };
$('presetsave').onclick = () => api('/api/presets', { name: $('presetname').value.trim() }).then(() => say('preset saved'));
$('presetload').onclick = () => api('/api/presets/load', { name: $('presets').value });
$('seeds').onclick = () => api('/api/seeds', { seeds: 30 }).then(() => say('running 30 seeds…'));
$('branch').onchange = () => api('/api/branch', { id: Number($('branch').value) });

document.addEventListener('keydown', (e) => {
  const t = e.target;
  if (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === ' ') { e.preventDefault(); $('run').click(); }
  else if (e.key === '.') $('step').click();
  else if (e.key === 'r' || e.key === 'R') $('reset').click();
  else if (/^[1-9]$/.test(e.key) && W.state && !W.state.culture && W.state.shock_kinds[Number(e.key) - 1]) fire(W.state.shock_kinds[Number(e.key) - 1]);
});

W.market = new MarketView($('c-market'));
connect();
