// The participant's phone page: join with the workshop code, then steer
// one firm (the participant API of docs/serve.md).
'use strict';

const $ = (id) => document.getElementById(id);
const q = new URLSearchParams(location.search);
let token = sessionStorage.getItem('smbsim-participant') || '';
const RULE = { imitator: 'imitate', innovator: 'innovate', specialist: 'specialise', adaptive: 'learn which move pays' };
let me = null;

async function call(path, body) {
  const opt = { headers: { 'X-Participant': token } };
  if (body !== undefined) { opt.method = 'POST'; opt.body = JSON.stringify(body); opt.headers['Content-Type'] = 'application/json'; }
  const r = await fetch(path, opt);
  const j = await r.json();
  if (!r.ok) { $('msg').textContent = j.error || r.statusText; const e = new Error(j.error); e.status = r.status; throw e; }
  $('msg').textContent = '';
  return j;
}

function show(m) {
  me = m;
  $('join').hidden = true; $('firm').hidden = false;
  $('who').textContent = m.name; $('firmid').textContent = m.firm;
  $('tick').textContent = m.tick; $('ticks').textContent = m.ticks;
  const st = $('status');
  if (m.alive) {
    st.textContent = m.shock ? `In business: survived the shock at tick ${m.shock}` : 'In business';
    st.className = 'status in';
  } else {
    st.textContent = `Out of business at tick ${m.died}` + (m.shock && m.died >= m.shock ? ` (after the shock at tick ${m.shock})` : '');
    st.className = 'status out';
  }
  $('cash').textContent = m.alive ? Number(m.cash).toFixed(2) : '–';
  $('profit').textContent = m.alive ? Number(m.profit).toFixed(3) : '–';
  $('rivals').textContent = m.alive ? m.rivals : '–';
  $('strategy').textContent = m.alive ? m.strategy : '–';
  $('rule').textContent = m.alive ? RULE[m.rule] || m.rule : '–';
  for (const b of document.querySelectorAll('.choices button')) {
    b.disabled = !m.alive;
    b.setAttribute('aria-pressed', String(m.alive && RULE[m.rule] === b.dataset.rule));
  }
}

async function poll() {
  if (!token) return;
  try { show(await call('/p/api/me')); } catch (e) {
    if (e.status === 403) { token = ''; sessionStorage.removeItem('smbsim-participant'); $('join').hidden = false; $('firm').hidden = true; }
  }
}

$('join').onsubmit = async (e) => {
  e.preventDefault();
  try {
    const j = await call('/p/api/join', { code: $('code').value, name: $('name').value });
    token = j.token; sessionStorage.setItem('smbsim-participant', token);
    poll();
  } catch (err) { }
};

for (const b of document.querySelectorAll('.choices button')) {
  b.onclick = async () => { try { show(await call('/p/api/act', { rule: b.dataset.rule })); } catch (e) { } };
}

$('code').value = q.get('code') || '';
if (token) poll(); else $('join').hidden = false;
setInterval(poll, 500);
