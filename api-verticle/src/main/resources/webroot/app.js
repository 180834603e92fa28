// PanicMode dashboard: a hash-routed single page over the REST API (/api/v1) and its event
// stream (/api/v1/events). Every piece of data is put into the page as text (textContent),
// never as markup: incident text comes from attackers (user names, paths, log lines).
import { plot, formatValue } from './plot.js';

const API = '/api/v1';
const TOKEN_KEY = 'panicmode.token';
const THEME_KEY = 'panicmode.theme';
// Names of the actions that stop processes, from the server's action table (GET /actions); an
// incident lists them with their argument (mass_freeze_cluster:web), so compare the name before ':'.
const FREEZE_ACTIONS = await fetch(API + '/actions').then(r => r.json())
  .then(t => new Set(t.items.filter(a => a.freezes).map(a => a.name))).catch(() => new Set());
const freezes = a => FREEZE_ACTIONS.has(a.split(':')[0]);
const DAY = 24 * 3600e3;

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  agents: new Map(),      // host -> agent (roles merged over its processes, as GET /agents gives them)
  incidents: new Map(),   // id -> incident, every one this page has seen
  view: null,             // handlers of the page shown: {onIncident, onHeartbeat, onMetrics, onTick}
  wasDown: false,
  events: null,           // {close()}: this tab's hold on the event stream (shared worker port or EventSource)
};

// ---------- small DOM helpers ----------

function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (v === true) e.setAttribute(k, '');
    else e.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function rel(ts) {
  if (ts === null || ts === undefined) return '–';
  const s = Math.round((Date.now() - ts) / 1000);
  if (s < 0) return 'in ' + span(-s);
  if (s < 5) return 'just now';
  return span(s) + ' ago';
}

function span(s) {
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm';
  if (s < 86400) return Math.floor(s / 3600) + 'h';
  return Math.floor(s / 86400) + 'd';
}

function when(ts) {
  if (ts === null || ts === undefined) return '–';
  return h('time', { datetime: new Date(ts).toISOString(), title: new Date(ts).toLocaleString() }, rel(ts));
}

function badge(kind, text) { return h('span', { class: 'badge ' + kind }, text); }
function sevBadge(sev) { return badge('sev-' + sev, sev); }

function table(headers, rows, empty) {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('thead', {}, h('tr', {}, headers.map(x => typeof x === 'string' ? h('th', { scope: 'col' }, x) : x))),
      h('tbody', {}, rows)));
}

function th(text, cls) { return h('th', { scope: 'col', class: cls }, text); }

function card(title, ...body) {
  return h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), ...body);
}

// ---------- API ----------

// List routes answer {"items": [...], "next": cursor-or-null}.
function items(body) {
  return body && Array.isArray(body.items) ? body.items : [];
}

class ApiFailure extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(method, path, body, token) {
  const headers = { 'Accept': 'application/json' };
  if (token) headers['Authorization'] = 'Bearer ' + token;
  else if (method !== 'GET') {
    if (!state.token) throw new ApiFailure(401, 'Log in with the API token first.');
    headers['Authorization'] = 'Bearer ' + state.token;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let resp;
  try {
    resp = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    throw new ApiFailure(0, 'The PanicMode API cannot be reached.');
  }
  let json = null;
  try { json = await resp.json(); } catch (e) { json = null; }
  if (!resp.ok) {
    const msg = json && typeof json.error === 'string' ? json.error : `HTTP ${resp.status}`;
    if (method !== 'GET' && (resp.status === 401 || resp.status === 403) && /token/i.test(msg)) {
      setToken(null);
    }
    throw new ApiFailure(resp.status, msg);
  }
  return json;
}

function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
}

const fetchAgents = async () => {
  const list = items(await api('GET', '/agents'));
  state.agents = new Map(list.map(a => [a.host, a]));
  return list;
};
const fetchIncidents = async (params) => {
  const body = await api('GET', '/incidents' + qs(params));
  const list = items(body);
  list.forEach(i => state.incidents.set(i.id, i));
  return { list, next: body && body.next ? body.next : null };
};
const fetchBlocks = async (params) => {
  const body = await api('GET', '/blocks' + qs(params));
  return { list: items(body), next: body && body.next ? body.next : null };
};

// ---------- feedback ----------

// Toasts with a group key fold into one toast with a count, so a burst of 25 criticals is one
// line to read, not a wall. Every toast has a dismiss button; the timer restarts on each update.
const toastGroups = new Map();
function toast(text, kind, group) {
  const box = document.getElementById('toasts');
  let g = group ? toastGroups.get(group) : null;
  if (!g) {
    const msg = h('span', { class: 'toast-text' });
    const t = h('div', { class: 'toast ' + (kind || ''), role: kind === 'error' ? 'alert' : 'status', dataset: { group: group || '' } }, msg);
    g = { el: t, msg, count: 0, timer: 0 };
    const dismiss = () => { clearTimeout(g.timer); t.remove(); if (group) toastGroups.delete(group); };
    t.append(h('button', { type: 'button', class: 'ghost small dismiss', 'aria-label': 'Dismiss', onclick: dismiss }, '×'));
    g.dismiss = dismiss;
    if (group) toastGroups.set(group, g);
    box.append(t);
  }
  g.count++;
  g.msg.textContent = g.count > 1 ? `${g.count} × ${text}` : text;
  g.el.dataset.count = String(g.count);
  clearTimeout(g.timer);
  g.timer = setTimeout(g.dismiss, kind === 'error' ? 15000 : 5000);
}

function confirmDialog(text, okLabel) {
  const dlg = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = okLabel;
  dlg.returnValue = '';
  return new Promise(resolve => {
    dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'), { once: true });
    dlg.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}

function setToken(token) {
  state.token = token;
  if (token) sessionStorage.setItem(TOKEN_KEY, token); else sessionStorage.removeItem(TOKEN_KEY);
  renderMode();
}

function renderMode() {
  const ro = !state.token;
  document.getElementById('mode').textContent = ro
    ? 'Read-only: log in with the API token to unblock, block or thaw.' : '';
  document.getElementById('login-link').hidden = !ro;
  document.getElementById('logout').hidden = ro;
  document.querySelectorAll('[data-mutates]').forEach(b => {
    b.disabled = ro;
    b.title = ro ? 'Log in to do this' : '';
  });
}

function mutating(attrs, label) {
  return h('button', { type: 'button', 'data-mutates': '', disabled: !state.token, title: state.token ? '' : 'Log in to do this', ...attrs }, label);
}

// ---------- actions ----------

async function unblock(ip, host, after) {
  const ok = await confirmDialog(`Lift the ban on ${ip} on host ${host}? The action verticle of ${host} removes the firewall rule, then the ledger records the unblock.`, 'Unblock ' + ip);
  if (!ok) return;
  try {
    await api('DELETE', '/blocks/' + encodeURIComponent(ip) + qs({ host }));
    toast(`Unblocked ${ip} on ${host}.`, 'ok');
    if (after) after();
  } catch (e) {
    toast(`Unblock of ${ip} failed: ${e.message}`, 'error');
  }
}

// Blocking an IP that is already banned replaces that ban: say which one, so a 24 h ban is not
// silently cut to 1 h. A failed look-up is said too rather than taken for "not banned".
async function block(ip, host, duration, reason, after) {
  let current = null, lookupError = null;
  try {
    current = (await fetchBlocks({ ip, host, limit: 1 })).list.find(b => b.ip === ip && b.active !== false) || null;
  } catch (e) { lookupError = e; }
  const dur = duration ? 'for ' + duration : 'for the policy default';
  let text = `Block ${ip} on host ${host} ${dur}?`;
  if (current) {
    const span = current.expiresAt ? durationText(current.expiresAt - current.blockedAt) + ' ban expiring at ' + new Date(current.expiresAt).toLocaleString() : 'permanent ban';
    text = `${ip} is already banned on ${host}: this replaces a ${span} (${current.reason || 'no reason'}) with a ban ${dur}.`;
  } else if (lookupError) {
    text += ` Could not check for a current ban (${lookupError.message}): an existing ban would be replaced.`;
  }
  const ok = await confirmDialog(text, (current ? 'Replace ban on ' : 'Block ') + ip);
  if (!ok) return;
  const req = { ip, host, reason: reason || '' };
  if (duration) req.duration = duration;
  try {
    await api('POST', '/blocks', req);
    toast(`Blocked ${ip} on ${host}.`, 'ok');
    if (after) after();
  } catch (e) { toast(`Block of ${ip} failed: ${e.message}`, 'error'); }
}

function durationText(ms) {
  const hours = Math.round(ms / 3600e3);
  if (hours >= 48 && hours % 24 === 0) return `${hours / 24} d`;
  return hours >= 1 ? `${hours} h` : `${Math.max(1, Math.round(ms / 60e3))} min`;
}

async function thaw(proc, host, after) {
  const ok = await confirmDialog(`Thaw (SIGCONT) process ${proc.pid} on host ${host}?`, 'Thaw ' + proc.pid);
  if (!ok) return;
  try {
    await api('POST', '/processes/' + encodeURIComponent(proc.pid) + '/thaw', { host, startTime: proc.startTime });
    toast(`Thawed process ${proc.pid} on ${host}.`, 'ok');
    if (after) after();
  } catch (e) {
    toast(`Thaw of ${proc.pid} failed: ${e.message}`, 'error');
  }
}

// ---------- pieces shared by pages ----------

function agentList() {
  return [...state.agents.values()].sort((a, b) => a.host.localeCompare(b.host));
}

// One badge for a host's roles: the worst status, naming the roles in it when not all are ok.
function rolesBadge(roles) {
  const entries = Object.entries(roles || {});
  for (const st of ['degraded', 'starting']) {
    const bad = entries.filter(([, v]) => v === st).map(([r]) => r);
    if (bad.length) return badge('st-' + st, `${st}: ${bad.join(', ')}`);
  }
  return entries.length ? badge('st-ok', `${entries.length} roles ok`) : badge('st-stale', 'no roles');
}

function agentRows(list) {
  return list.map(a => {
    const s = a.summary || {};
    return h('tr', { dataset: { host: a.host } },
      h('td', { class: 'nowrap' }, h('a', { href: '#/agents/' + encodeURIComponent(a.host) }, a.host)),
      h('td', {}, a.stale ? badge('st-stale', 'stale') : badge('st-fresh', 'live')),
      h('td', { class: 'opt' }, rolesBadge(a.roles)),
      h('td', { class: 'nowrap' }, when(a.lastSeen)),
      h('td', { class: 'num' }, formatValue(s.cpu_usage, '%')),
      h('td', { class: 'num' }, formatValue(s.memory_usage, '%')),
      h('td', { class: 'num opt' }, formatValue(s.load_average, '')));
  });
}

function agentTable(list) {
  return table(['Host', 'State', th('Roles', 'opt'), 'Last seen', 'CPU', 'Memory', th('Load', 'opt')],
    agentRows(list), 'No agent has reported yet.');
}

function agentDetails(a) {
  if (!a) return h('p', { class: 'empty' }, 'No heartbeat from this host yet.');
  const s = a.summary || {};
  return h('dl', { class: 'kv' },
    h('dt', {}, 'State'), h('dd', {}, a.stale ? badge('st-stale', 'stale') : badge('st-fresh', 'live'), ' last seen ', when(a.lastSeen)),
    h('dt', {}, 'Roles'), h('dd', {}, Object.entries(a.roles || {}).map(([r, st]) => [badge('st-' + st, r + ': ' + st), ' '])),
    h('dt', {}, 'Processes'), h('dd', {}, (a.nodes || []).map(n => n.node).join(', ') || '–'),
    h('dt', {}, 'Version'), h('dd', {}, a.version || '–'),
    h('dt', {}, 'Now'), h('dd', {}, `CPU ${formatValue(s.cpu_usage, '%')} · memory ${formatValue(s.memory_usage, '%')} · load ${formatValue(s.load_average, '')} · ${formatValue(s.connections_total, '')} connections`));
}

function incidentRow(i, fresh) {
  return h('tr', { dataset: { id: i.id }, class: fresh ? 'new' : undefined },
    h('td', { class: 'nowrap' }, when(i.firedAt)),
    h('td', {}, sevBadge(i.severity)),
    h('td', {}, badge('st-' + i.state, i.state)),
    h('td', { class: 'opt nowrap' }, h('a', { href: '#/agents/' + encodeURIComponent(i.host) }, i.host)),
    h('td', { class: 'opt' }, i.rule),
    h('td', { class: 'mono opt ips' }, ipsText((i.subjects && i.subjects.ips) || [])),
    h('td', { class: 'desc' }, h('a', { href: '#/incidents/' + encodeURIComponent(i.id) }, i.description || i.rule)));
}

function incidentTable(rows, empty) {
  return table(['Fired', 'Severity', 'State', th('Host', 'opt'), th('Rule', 'opt'), th('IP', 'opt ips'), 'Description'], rows, empty);
}

function ipsText(ips) {
  return ips.length <= 2 ? ips.join(', ') : `${ips.slice(0, 2).join(', ')} +${ips.length - 2}`;
}

// An IP typed into search matches that address only: 203.0.113.5 must not find 203.0.113.50.
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f]*:[0-9a-f:.]*$/i;
function ipMatcher(q) {
  const esc = q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (IPV4.test(q)) return new RegExp(`(?<![\\d.])${esc}(?!\\d|\\.\\d)`);
  if (IPV6.test(q)) return new RegExp(`(?<![0-9a-f:])${esc}(?![0-9a-f:])`, 'i');
  return null;
}

function expiresText(b) {
  if (b.expiresAt === null || b.expiresAt === undefined) return 'never';
  return b.expiresAt <= Date.now() ? 'expired' : rel(b.expiresAt);
}

function banRows(list, after, withHistory) {
  return list.map(b => h('tr', { dataset: { ip: b.ip, host: b.host } },
    h('td', { class: 'mono' }, b.ip),
    h('td', {}, b.host),
    h('td', { class: 'opt' }, when(b.blockedAt)),
    h('td', {}, expiresText(b)),
    h('td', { class: 'desc opt' }, b.reason || ''),
    h('td', { class: 'num opt' }, String(b.count ?? 1)),
    h('td', { class: 'opt' }, b.incidentId ? h('a', { href: '#/incidents/' + encodeURIComponent(b.incidentId) }, 'incident') : 'manual'),
    withHistory ? h('td', {}, b.active === false
      ? (b.unblockedAt ? ['lifted ', when(b.unblockedAt), b.unblockedBy ? ' by ' + b.unblockedBy : ''] : 'expired')
      : badge('st-firing', 'active')) : null,
    h('td', {}, b.active === false ? null
      : mutating({ class: 'small danger unblock', 'aria-label': `Unblock ${b.ip} on ${b.host}`, onclick: () => unblock(b.ip, b.host, after) }, 'Unblock'))));
}

function banTable(list, after, withHistory) {
  const heads = ['IP', 'Host', th('Blocked', 'opt'), 'Expires', th('Reason', 'opt'), th('Count', 'opt'), th('Cause', 'opt')];
  if (withHistory) heads.push('Status');
  heads.push(h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')));
  return table(heads, banRows(list, after, withHistory), withHistory ? 'No bans recorded.' : 'No active bans.');
}

// Processes an incident froze that are still firing: the API has no list of frozen processes, so
// the dashboard shows those named by firing incidents whose actions include a freeze.
function frozenFrom(incidents) {
  const out = [];
  for (const i of incidents) {
    if (i.state !== 'firing' || !(i.actions || []).some(freezes)) continue;
    for (const p of (i.subjects && i.subjects.processes) || []) out.push({ proc: p, incident: i });
  }
  return out;
}

function frozenTable(list, after) {
  return table(['PID', 'Host', 'Incident', h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions'))],
    list.map(({ proc, incident }) => h('tr', {},
      h('td', { class: 'mono' }, String(proc.pid)),
      h('td', {}, incident.host),
      h('td', { class: 'desc' }, h('a', { href: '#/incidents/' + encodeURIComponent(incident.id) }, incident.description || incident.rule)),
      h('td', {}, mutating({ class: 'small thaw', 'aria-label': `Thaw process ${proc.pid} on ${incident.host}`, onclick: () => thaw(proc, incident.host, after) }, 'Thaw')))),
    'No process is held by a firing freeze.');
}

function errorBox(e) {
  return h('p', { class: 'card', role: 'alert' }, 'Could not load: ' + e.message);
}

// ---------- pages ----------

async function overviewPage(main) {
  main.append(h('h1', { tabindex: '-1' }, 'Overview'));
  const verdict = h('section', { class: 'card verdict', id: 'verdict', 'aria-live': 'polite' });
  const stats = h('div', { class: 'grid' });
  const agentsBox = card('Agents');
  const incBox = card('Latest incidents');
  const bansBox = card('Active bans');
  const frozenBox = card('Frozen processes');
  main.append(verdict, stats, h('div', { class: 'cols' }, agentsBox, incBox), h('div', { class: 'cols mt' }, bansBox, frozenBox));

  let incidents = [];
  let bans = [];
  let bansMore = false;
  let incMore = false;
  const failed = new Set();   // what could not be loaded: the verdict cannot say OK without it

  // One word first (under attack / degraded / OK), then what is firing now, one line per rule.
  const renderVerdict = () => {
    const firing = incidents.filter(i => i.state === 'firing');
    const stale = agentList().filter(a => a.stale);
    const byRule = new Map();
    for (const i of firing) {
      const r = byRule.get(i.rule) || { rule: i.rule, severity: i.severity, count: 0, hosts: new Set(), ips: new Set() };
      r.count++; r.hosts.add(i.host);
      if (i.severity === 'critical') r.severity = 'critical';
      for (const ip of (i.subjects && i.subjects.ips) || []) r.ips.add(ip);
      byRule.set(i.rule, r);
    }
    let word = 'ok', label = 'OK', why = 'Nothing is firing and every host reports.';
    if (firing.some(i => i.severity === 'critical')) {
      word = 'attack'; label = 'Under attack'; why = 'Critical incidents are firing.';
    } else if (firing.length || stale.length || failed.size) {
      word = 'degraded'; label = 'Degraded';
      why = [firing.length ? `${firing.length} incident(s) firing` : '', stale.length ? `${stale.length} host(s) stale: ${stale.map(a => a.host).join(', ')}` : '',
        failed.size ? `could not load ${[...failed].join(', ')}` : ''].filter(Boolean).join('; ') + '.';
    }
    verdict.dataset.verdict = word;
    const rules = [...byRule.values()].sort((a, b) => (a.severity === 'critical' ? 0 : 1) - (b.severity === 'critical' ? 0 : 1) || b.count - a.count);
    verdict.replaceChildren(
      h('h2', { class: 'verdict-word' }, label), h('p', {}, why),
      rules.length ? h('ul', { class: 'plain', id: 'firing-now' }, rules.map(r => h('li', { dataset: { rule: r.rule } },
        sevBadge(r.severity), ' ', h('a', { href: '#/incidents?state=firing&rule=' + encodeURIComponent(r.rule) }, r.rule),
        ` · ${r.count} firing on ${[...r.hosts].join(', ')}`, r.ips.size ? ` · ${r.ips.size} IP(s)` : ''))) : null);
  };

  const renderStats = () => {
    renderVerdict();
    const agents = agentList();
    const stale = agents.filter(a => a.stale).length;
    const day = incidents.filter(i => i.firedAt >= Date.now() - DAY);
    const bySev = { critical: 0, warning: 0, info: 0 };
    day.forEach(i => { bySev[i.severity] = (bySev[i.severity] || 0) + 1; });
    const firing = incidents.filter(i => i.state === 'firing').length;
    stats.replaceChildren(
      h('div', { class: 'card' }, h('div', { class: 'stat', id: 'stat-agents' }, String(new Set(agents.map(a => a.host)).size)),
        h('div', { class: 'stat-label' }, 'hosts reporting' + (stale ? `, ${stale} stale` : ''))),
      h('div', { class: 'card' }, h('div', { class: 'stat', id: 'stat-incidents' }, String(day.length) + (incMore ? '+' : '')),
        h('div', { class: 'stat-label' }, 'incidents in the last 24 h'),
        h('div', { class: 'sev-counts' }, ['critical', 'warning', 'info'].map(s => badge('sev-' + s, `${bySev[s]} ${s}`)))),
      h('div', { class: 'card' }, h('div', { class: 'stat', id: 'stat-firing' }, String(firing)), h('div', { class: 'stat-label' }, 'of them still firing')),
      h('div', { class: 'card' }, h('div', { class: 'stat', id: 'stat-bans' }, String(bans.length) + (bansMore ? '+' : '')), h('div', { class: 'stat-label' }, 'active bans')));
  };
  const renderAgents = () => agentsBox.replaceChildren(h('h2', {}, 'Agents'), agentTable(agentList()));
  const renderIncidents = (freshId) => incBox.replaceChildren(h('h2', {}, 'Latest incidents'),
    incidentTable(incidents.slice(0, 10).map(i => incidentRow(i, i.id === freshId)), 'No incident in the last 24 h.'),
    h('p', {}, h('a', { href: '#/incidents' }, 'All incidents')));
  const renderBans = () => bansBox.replaceChildren(h('h2', {}, 'Active bans'), banTable(bans.slice(0, 10), loadBans, false),
    h('p', {}, h('a', { href: '#/bans' }, 'All bans')));
  const renderFrozen = () => frozenBox.replaceChildren(h('h2', {}, 'Frozen processes'), frozenTable(frozenFrom(incidents), loadIncidents));

  async function loadBans() {
    try {
      const r = await fetchBlocks({ limit: 1000 });
      bans = r.list; bansMore = !!r.next;
      failed.delete('bans'); renderBans(); renderStats();
    } catch (e) { failed.add('bans'); bansBox.replaceChildren(h('h2', {}, 'Active bans'), errorBox(e)); renderVerdict(); }
  }
  async function loadIncidents() {
    try {
      const r = await fetchIncidents({ since: '24h', limit: 1000 });
      incidents = r.list; incMore = !!r.next;
      failed.delete('incidents'); renderIncidents(); renderFrozen(); renderStats();
    } catch (e) { failed.add('incidents'); incBox.replaceChildren(h('h2', {}, 'Latest incidents'), errorBox(e)); renderVerdict(); }
  }
  async function loadAgents() {
    try { await fetchAgents(); failed.delete('agents'); renderAgents(); renderStats(); }
    catch (e) { failed.add('agents'); agentsBox.replaceChildren(h('h2', {}, 'Agents'), errorBox(e)); renderVerdict(); }
  }
  await Promise.all([loadAgents(), loadIncidents(), loadBans()]);

  return {
    onIncident(inc) {
      incidents = [inc, ...incidents.filter(i => i.id !== inc.id)];
      renderIncidents(inc.id); renderFrozen(); renderStats();
      if ((inc.subjects && inc.subjects.ips || []).length) loadBans();
    },
    onHeartbeat() { renderAgents(); renderStats(); },
    onTick() { loadAgents(); loadBans(); },
    reload() { loadAgents(); loadIncidents(); loadBans(); },
  };
}

async function incidentsPage(main, params) {
  const f = {
    host: params.get('host') || '', severity: params.get('severity') || '', rule: params.get('rule') || '',
    since: params.has('since') ? params.get('since') : '24h', state: params.get('state') || '', q: params.get('q') || '',
  };
  main.append(h('h1', { tabindex: '-1' }, 'Incidents'));
  if (!state.agents.size) { try { await fetchAgents(); } catch (e) { /* host suggestions are optional */ } }
  const hostOpts = [...new Set(agentList().map(a => a.host))];
  const form = h('form', { class: 'card row', role: 'search', 'aria-label': 'Filter incidents' },
    h('label', {}, 'Search', h('input', { id: 'q', name: 'q', type: 'search', value: f.q, placeholder: 'text, IP, rule…', autocomplete: 'off' })),
    h('label', {}, 'Host', h('input', { name: 'host', value: f.host, list: 'hosts', autocomplete: 'off', size: 14 })),
    h('datalist', { id: 'hosts' }, hostOpts.map(x => h('option', { value: x }))),
    h('label', {}, 'Severity', h('select', { name: 'severity' }, ['', 'critical', 'warning', 'info'].map(s => h('option', { value: s, selected: s === f.severity }, s || 'any')))),
    h('label', {}, 'State', h('select', { name: 'state' }, ['', 'firing', 'resolved'].map(s => h('option', { value: s, selected: s === f.state }, s || 'any')))),
    h('label', {}, 'Rule', h('input', { name: 'rule', value: f.rule, autocomplete: 'off', size: 14 })),
    h('label', {}, 'Since', h('select', { name: 'since' }, [['1h', 'last hour'], ['24h', 'last 24 h'], ['7d', 'last 7 days'], ['30d', 'last 30 days'], ['', 'all time']]
      .map(([v, t]) => h('option', { value: v, selected: v === f.since }, t)))),
    h('button', { type: 'submit' }, 'Apply'));
  const count = h('p', { class: 'muted', role: 'status' });
  const box = h('div', { class: 'card' });
  const more = h('button', { type: 'button', class: 'ghost', hidden: true }, 'Load more');
  main.append(form, count, box, h('p', {}, more));

  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const data = new FormData(form);
    const p = new URLSearchParams();
    for (const [k, v] of data.entries()) if (v !== '') p.set(k, v);
    if (!data.get('since')) p.set('since', '');
    location.hash = '#/incidents' + (p.toString() ? '?' + p.toString() : '');
  });

  let list = [];
  let next = null;
  let fresh = null;
  const matches = (i) => {
    if (f.host && i.host !== f.host) return false;
    if (f.severity && i.severity !== f.severity) return false;
    if (f.rule && i.rule !== f.rule) return false;
    if (f.state && i.state !== f.state) return false;
    if (f.q) {
      const ip = ipMatcher(f.q.trim());
      if (ip) {
        const ips = (i.subjects && i.subjects.ips) || [];
        return ips.some(x => x.toLowerCase() === f.q.trim().toLowerCase()) || ip.test(`${i.description} ${i.details}`);
      }
      const hay = [i.description, i.rule, i.host, i.details, i.id, ...(i.subjects ? [...i.subjects.ips, ...i.subjects.paths, ...i.subjects.processes.map(p => String(p.pid))] : [])]
        .join(' ').toLowerCase();
      if (!hay.includes(f.q.toLowerCase())) return false;
    }
    return true;
  };
  const render = () => {
    const shown = list.filter(matches);
    count.textContent = `${shown.length} shown` + (next ? ' (more on the server)' : '');
    box.replaceChildren(incidentTable(shown.map(i => incidentRow(i, i.id === fresh)), 'No incident matches.'));
    more.hidden = !next;
  };
  const serverParams = () => ({ host: f.host, severity: f.severity, rule: f.rule, since: f.since, limit: 200 });
  async function load(cursor) {
    try {
      const r = await fetchIncidents({ ...serverParams(), cursor });
      list = cursor ? list.concat(r.list) : r.list;
      next = r.next;
      render();
    } catch (e) { box.replaceChildren(errorBox(e)); }
  }
  more.addEventListener('click', () => load(next));
  await load(null);
  return {
    onIncident(inc) {
      const had = list.findIndex(i => i.id === inc.id);
      if (had >= 0) list[had] = inc; else list.unshift(inc);
      fresh = inc.id;
      render();
    },
    reload() { load(null); },
    search() { document.getElementById('q').focus(); },
  };
}

// ---------- what an incident's actions and alerts did ----------

const ALERT_ACTIONS = new Set(['alert_critical', 'alert_warning', 'alert_info']);
const OUTCOME_LABEL = { done: ['st-ok', 'applied'], skipped: ['st-starting', 'skipped'], failed: ['st-firing', 'failed'] };
const DELIVERY_LABEL = { delivered: ['st-ok', 'delivered'], skipped: ['st-starting', 'skipped'], failed: ['st-firing', 'failed'] };

// One row per configured action, in the rule's order: its command's result (the detector's command
// ids are "<incident>:<index in actions>:<op>"), or what happened to its alert.
function actionRows(inc) {
  return actionResults(inc).map(r => h('tr', { dataset: { action: r.action, outcome: r.status } },
    h('td', { class: 'mono' }, r.action), h('td', {}, badge(r.cls, r.label)), h('td', { class: 'desc' }, r.why), h('td', {}, when(r.at))));
}

// The same in one line for the summary: what a reader must see first on a bad day.
function actionSummary(inc) {
  const rs = actionResults(inc);
  return rs.length ? rs.map(r => h('span', { class: 'outcome' }, h('span', { class: 'mono' }, r.action), ' ', badge(r.cls, r.label))) : 'no actions';
}

function actionResults(inc) {
  const byIndex = new Map();
  for (const o of inc.outcomes || []) {
    const m = /:(\d+):[^:]*$/.exec(o.commandId || '');
    if (m) byIndex.set(Number(m[1]), o);
  }
  const deliveries = inc.deliveries || [];
  return (inc.actions || []).map((a, i) => {
    const o = byIndex.get(i);
    let cls, label, why, at;
    if (ALERT_ACTIONS.has(a)) {
      const ok = deliveries.filter(d => d.outcome === 'delivered');
      [cls, label] = ok.length ? ['st-ok', 'delivered'] : deliveries.length ? ['st-firing', 'not delivered'] : ['st-stale', 'no report'];
      why = ok.length ? 'via ' + [...new Set(ok.map(d => d.channel))].join(', ') : deliveries.length ? 'see Alerts' : 'no delivery reported yet';
      at = deliveries.length ? deliveries[deliveries.length - 1].at : null;
    } else if (o) {
      [cls, label] = OUTCOME_LABEL[o.status] || ['st-stale', o.status];
      why = [o.reason || '', o.status === 'failed' ? (o.retryable ? ' (retryable)' : ' (not retryable)') : '',
        (o.affected || []).length ? h('div', { class: 'mono muted' }, o.affected.join(', ')) : null];
      at = o.finishedAt;
    } else {
      [cls, label] = ['st-stale', 'no result'];
      why = (a === 'block_ip' || a === 'rate_limit')
        ? 'no command sent or no result yet: the detector sends none when no subject IP may be banned (private, loopback, whitelisted)'
        : 'no result reported yet';
      at = null;
    }
    return { action: a, status: ALERT_ACTIONS.has(a) ? label.replace(' ', '_') : o ? o.status : '', cls, label, why, at };
  });
}

function deliveryRows(inc) {
  return (inc.deliveries || []).map(d => {
    const [cls, label] = DELIVERY_LABEL[d.outcome] || ['st-stale', d.outcome];
    const kind = /:resolved$/.test(d.alertId || '') ? 'resolved' : 'firing';
    return h('tr', { dataset: { channel: d.channel, outcome: d.outcome } },
      h('td', { class: 'mono' }, d.channel), h('td', {}, kind), h('td', {}, badge(cls, label)),
      h('td', { class: 'num' }, String(d.attempts)), h('td', { class: 'desc' }, d.error || ''), h('td', {}, when(d.at)));
  });
}

async function incidentPage(main, id) {
  main.append(h('p', {}, h('a', { href: '#/incidents' }, '← Incidents')));
  const title = h('h1', { tabindex: '-1' }, 'Incident');
  const body = h('div');
  main.append(title, body);
  let inc = state.incidents.get(id);
  // The stored record carries the actions' results and the alert deliveries; a live event does not.
  // Known fire time: ask for exactly that millisecond.
  const stored = async (known) => {
    const r = known
      ? await fetchIncidents({ host: known.host, rule: known.rule, since: new Date(known.firedAt).toISOString(), until: new Date(known.firedAt + 1).toISOString(), limit: 50 })
      : await fetchIncidents({ limit: 1000 });
    return r.list.find(i => i.id === id);
  };
  try {
    inc = (await stored(inc)) || inc;
  } catch (e) { if (!inc) { body.append(errorBox(e)); return {}; } }
  if (!inc) { body.append(h('p', { class: 'card' }, 'This incident is not among the latest 1000. It may have been pruned by retention.')); return {}; }

  let bans = [];
  let bansError = null;
  const render = () => {
    title.textContent = inc.description || inc.rule;
    const s = inc.subjects || {};
    const subj = [];
    const banned = new Map(bans.filter(b => b.active !== false).map(b => [b.ip, b]));
    for (const ip of s.ips || []) {
      const b = banned.get(ip);
      subj.push(h('li', {}, badge('sev-info', 'IP'), h('span', { class: 'mono' }, ip),
        b ? [badge('st-firing', 'banned'), mutating({ class: 'small danger unblock', 'aria-label': `Unblock ${ip}`, onclick: () => unblock(ip, b.host, loadBans) }, 'Unblock')]
          : bansError ? null
          : [badge('st-resolved', 'not banned'), mutating({ class: 'small danger block', 'aria-label': `Block ${ip} on ${inc.host}`, onclick: () => block(ip, inc.host, '24h', `incident ${inc.id}`, loadBans) }, 'Block')]));
    }
    for (const p of s.processes || []) {
      subj.push(h('li', {}, badge('sev-info', 'process'), h('span', { class: 'mono' }, `pid ${p.pid}`),
        h('span', { class: 'muted' }, `started ${p.startTime}`),
        (inc.actions || []).some(freezes) ? mutating({ class: 'small thaw', onclick: () => thaw(p, inc.host) }, 'Thaw') : null));
    }
    for (const [kind, key] of [['path', 'paths'], ['mount', 'mounts'], ['device', 'devices'], ['metric', 'metrics']]) {
      for (const v of s[key] || []) subj.push(h('li', {}, badge('sev-info', kind), h('span', { class: 'mono' }, v)));
    }
    body.replaceChildren(
      h('div', { class: 'cols' },
        card('Summary', h('dl', { class: 'kv' },
          h('dt', {}, 'Severity'), h('dd', {}, sevBadge(inc.severity)),
          h('dt', {}, 'State'), h('dd', {}, badge('st-' + inc.state, inc.state)),
          h('dt', {}, 'Host'), h('dd', {}, h('a', { href: '#/agents/' + encodeURIComponent(inc.host) }, inc.host)),
          h('dt', {}, 'Rule'), h('dd', {}, inc.rule),
          h('dt', {}, 'Monitor'), h('dd', {}, inc.monitorType || ''),
          h('dt', {}, 'Value'), h('dd', {}, `${formatValue(inc.value, '')} (threshold ${formatValue(inc.threshold, '')})`),
          h('dt', {}, 'Fired'), h('dd', {}, when(inc.firedAt), ' · ', new Date(inc.firedAt).toLocaleString()),
          h('dt', {}, 'Resolved'), h('dd', {}, inc.resolvedAt ? [when(inc.resolvedAt), ' · ', new Date(inc.resolvedAt).toLocaleString()] : 'not yet'),
          h('dt', {}, 'Outcome'), h('dd', { id: 'outcome-summary' }, actionSummary(inc)),
          h('dt', {}, 'Id'), h('dd', { class: 'mono' }, inc.id))),
        card('Subjects', subj.length ? h('ul', { class: 'plain', id: 'subjects' }, subj) : h('p', { class: 'empty' }, 'No subjects: nothing specific to act on.'))),
      h('div', { class: 'cols mt' },
        card('Actions', h('p', { class: 'muted' }, 'Configured for the rule, in order, and what each did:'),
          h('div', { id: 'action-outcomes' }, table(['Action', 'Result', 'Why', 'When'], actionRows(inc), 'No actions configured.')),
          h('h2', {}, 'Alerts'),
          h('div', { id: 'deliveries' }, table(['Channel', 'Alert', 'Outcome', 'Attempts', 'Error', 'When'], deliveryRows(inc),
            (inc.actions || []).some(a => ALERT_ACTIONS.has(a)) ? 'No delivery reported yet.' : 'No alert configured for this rule.')),
          h('h2', {}, 'Bans from this incident'),
          bansError ? errorBox(bansError) : banTable(bans, loadBans, true)),
        card('Details', inc.details ? h('pre', { class: 'details' }, inc.details) : h('p', { class: 'empty' }, 'No details.'))));
    renderMode();
  };
  async function loadBans() {
    try {
      const lists = await Promise.all((inc.subjects && inc.subjects.ips || []).slice(0, 20)
        .map(ip => fetchBlocks({ ip, host: inc.host, all: 'true', limit: 50 }).then(r => r.list)));
      bans = lists.flat().filter(b => b.incidentId === inc.id || b.active !== false);
      bansError = null;
    } catch (e) { bans = []; bansError = e; }
    render();
  }
  async function loadRecord() {
    try {
      const got = await stored(inc);
      if (got) { inc = got; render(); }
    } catch (e) { /* the page keeps what it has; the ban look-up shows its own error */ }
  }
  render();
  await loadBans();
  return {
    // A live event has no results: keep those shown and fetch the stored record again.
    onIncident(i) { if (i.id === inc.id) { inc = { ...i, outcomes: inc.outcomes, deliveries: inc.deliveries }; render(); loadRecord(); } },
    reload() { loadRecord(); loadBans(); },
  };
}

async function bansPage(main, params) {
  const history = params.get('view') === 'all';
  main.append(h('h1', { tabindex: '-1' }, 'Bans'));
  // The host list of the block form; without it (storage down) the host is typed in.
  try { await fetchAgents(); } catch (e) { /* the form falls back to a text field */ }
  const hosts = [...new Set(agentList().map(a => a.host))];
  const form = h('form', { class: 'card row', 'aria-label': 'Block an IP' },
    h('label', {}, 'IP address', h('input', { name: 'ip', id: 'block-ip', required: true, autocomplete: 'off', inputmode: 'text', size: 22, placeholder: '203.0.113.7' })),
    h('label', {}, 'Host', hosts.length
      ? h('select', { name: 'host', id: 'block-host' }, hosts.map(x => h('option', { value: x }, x)))
      : h('input', { name: 'host', id: 'block-host', required: true, autocomplete: 'off', size: 14 })),
    h('label', {}, 'For', h('select', { name: 'duration' }, [['1h', '1 hour'], ['24h', '24 hours'], ['7d', '7 days'], ['30d', '30 days'], ['', 'policy default']]
      .map(([v, t]) => h('option', { value: v }, t)))),
    h('label', {}, 'Reason', h('input', { name: 'reason', maxlength: 200, autocomplete: 'off', size: 24 })),
    mutating({ type: 'submit', id: 'block-submit' }, 'Block'));
  const toggle = h('p', {}, history
    ? h('a', { href: '#/bans' }, 'Show active bans only')
    : h('a', { href: '#/bans?view=all' }, 'Show history (lifted and expired too)'));
  const box = h('div', { class: 'card', id: 'bans' });
  main.append(h('h2', {}, 'Block an IP'), form, toggle, box);

  async function load() {
    try {
      const r = await fetchBlocks(history ? { all: 'true', limit: 1000 } : { limit: 1000 });
      box.replaceChildren(banTable(r.list, load, history));
      if (r.next) box.append(h('p', { class: 'muted' }, 'Showing the newest 1000.'));
      renderMode();
    } catch (e) { box.replaceChildren(errorBox(e)); }
  }
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const data = new FormData(form);
    const ip = String(data.get('ip')).trim();
    const host = String(data.get('host')).trim();
    await block(ip, host, String(data.get('duration') || ''), String(data.get('reason') || ''), () => { form.reset(); load(); });
  });
  await load();
  return {
    onIncident(inc) { if ((inc.subjects && inc.subjects.ips || []).length) load(); },
    onTick() { load(); },
    reload() { load(); },
  };
}

async function agentsPage(main) {
  main.append(h('h1', { tabindex: '-1' }, 'Agents'));
  const box = h('div', { class: 'card' });
  main.append(box);
  const render = () => box.replaceChildren(agentTable(agentList()));
  async function load() { try { await fetchAgents(); render(); } catch (e) { box.replaceChildren(errorBox(e)); } }
  await load();
  return { onHeartbeat: render, onTick: load, reload: load };
}

const FIGURES = [
  { key: 'cpu_usage', title: 'CPU', unit: '%', max: 100 },
  { key: 'memory_usage', title: 'Memory', unit: '%', max: 100 },
  { key: 'load_average', title: 'Load (1 min)', unit: '' },
  { key: 'connections_total', title: 'TCP connections', unit: '' },
  { key: 'auth_failures', title: 'SSH auth failures / min', unit: '', perMinute: true },
];

async function agentPage(main, host) {
  main.append(h('p', {}, h('a', { href: '#/agents' }, '← Agents')));
  main.append(h('h1', { tabindex: '-1' }, host));
  const info = h('div', { class: 'cols' });
  const plotsBox = h('div', { class: 'plots', id: 'plots' });
  let windowMs = 2 * 3600e3;
  const ranges = [[15 * 60e3, '15 min'], [3600e3, '1 h'], [2 * 3600e3, '2 h']];
  const picker = h('div', { class: 'row', role: 'group', 'aria-label': 'Plot range', id: 'range' }, ranges.map(([ms, label]) =>
    h('button', { type: 'button', class: 'small ghost', dataset: { range: String(ms) }, 'aria-pressed': String(ms === windowMs),
      onclick: () => { windowMs = ms; picker.querySelectorAll('button').forEach(b => b.setAttribute('aria-pressed', String(Number(b.dataset.range) === ms))); renderPlots(); } }, label)));
  const bansNote = h('p', { class: 'muted', id: 'ban-markers-note', role: 'status' });
  const legend = h('p', { class: 'muted' }, 'Marks: dashed red, an incident fired; solid amber, a ban applied; dotted green, a ban lifted or expired. Hover a mark for what it was.');
  main.append(info, h('h2', { class: 'mt' }, 'History'), picker, plotsBox, legend, bansNote);

  let hist = { points: [], stepMillis: 15000 };
  let recent = [];
  let bans = [];
  const figs = new Map();
  const series = (fig) => hist.points.filter(p => !hist.points.length || p.ts >= hist.points[hist.points.length - 1].ts - windowMs).map(p => ({
    ts: p.ts,
    v: p[fig.key] === null || p[fig.key] === undefined ? null : fig.perMinute ? p[fig.key] * 60000 / hist.stepMillis : p[fig.key],
  }));
  const renderPlots = () => {
    const markers = recent.map(i => ({ ts: i.firedAt, kind: 'incident', label: `${i.severity} ${i.rule}: ${i.description || ''}` }));
    // Each ban of this host as two marks: applied, and lifted or expired.
    for (const b of bans) {
      markers.push({ ts: b.blockedAt, kind: 'ban-on', label: `ban ${b.ip} applied${b.reason ? ' (' + b.reason + ')' : ''}` });
      if (b.unblockedAt) markers.push({ ts: b.unblockedAt, kind: 'ban-off', label: `ban ${b.ip} lifted${b.unblockedBy ? ' by ' + b.unblockedBy : ''}` });
      else if (b.expiresAt && b.expiresAt <= Date.now()) markers.push({ ts: b.expiresAt, kind: 'ban-off', label: `ban ${b.ip} expired` });
    }
    for (const fig of FIGURES) {
      if (!figs.has(fig.key)) {
        const f = plot(series(fig), { title: fig.title, unit: fig.unit, max: fig.max, windowMs, markers });
        f.dataset.figure = fig.key;
        figs.set(fig.key, f);
        plotsBox.append(f);
      } else {
        figs.get(fig.key).update(series(fig), { windowMs, markers });
      }
    }
  };
  const renderInfo = () => {
    info.replaceChildren(
      card('Status', agentDetails(state.agents.get(host))),
      card('Recent incidents', incidentTable(recent.slice(0, 8).map(i => incidentRow(i)), 'No incident in the last 24 h.')));
  };
  try {
    await fetchAgents();
    const [hb, inc] = await Promise.all([
      api('GET', '/history/' + encodeURIComponent(host)),
      fetchIncidents({ host, since: '24h', limit: 50 }),
    ]);
    hist = hb; recent = inc.list;
  } catch (e) { info.replaceChildren(errorBox(e)); }
  // Ban marks are extra: a failed look-up says so under the plots, and the plots stay.
  async function loadBans() {
    try {
      bans = (await fetchBlocks({ host, all: 'true', limit: 1000 })).list;
      bansNote.textContent = '';
    } catch (e) {
      bansNote.textContent = 'Ban markers unavailable: ' + e.message;
    }
    renderPlots();
  }
  renderInfo();
  renderPlots();
  await loadBans();
  return {
    onHeartbeat(b) { if (b.host === host) renderInfo(); },
    onMetrics(p) {
      if (p.host !== host) return;
      const pts = hist.points;
      if (pts.length && pts[pts.length - 1].ts === p.ts) pts[pts.length - 1] = p; else pts.push(p);
      while (pts.length && pts[0].ts < p.ts - 2 * 3600e3) pts.shift();
      renderPlots();
    },
    onIncident(i) { if (i.host === host) { recent = [i, ...recent.filter(x => x.id !== i.id)]; renderInfo(); renderPlots(); } },
    onTick() { fetchAgents().then(renderInfo, () => {}); loadBans(); },
    reload() { main.replaceChildren(); agentPage(main, host).then(v => { state.view = v; }); },
  };
}

async function loginPage(main, params) {
  main.append(h('h1', { tabindex: '-1' }, 'Log in'));
  const back = params.get('back') || '#/overview';
  const form = h('form', { class: 'card narrow', 'aria-describedby': 'login-help' },
    h('p', { id: 'login-help', class: 'muted' },
      'Paste the API token (http_api.token). It is checked against the API, kept for this browser tab only and sent with changes (unblock, block, thaw). Without it the dashboard is read-only.'),
    h('label', {}, 'API token', h('input', { name: 'token', id: 'token', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false' })),
    h('p', { class: 'row' }, h('button', { type: 'submit', id: 'login-submit' }, 'Log in')));
  const result = h('p', { id: 'login-result', role: 'alert' });
  form.append(result);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const t = String(new FormData(form).get('token')).trim();
    if (!t) return;
    result.textContent = 'Checking the token…';
    try {
      await api('GET', '/auth', undefined, t);
    } catch (e) {
      result.textContent = e.status === 401 || e.status === 403
        ? `Wrong token: the API refused it (${e.message}).` : `Could not check the token: ${e.message}`;
      return;
    }
    setToken(t);
    toast('Logged in for this tab.', 'ok');
    location.hash = back.startsWith('#/') && !back.startsWith('#/login') ? back : '#/overview';
  });
  main.append(form);
  setTimeout(() => document.getElementById('token').focus(), 0);
  return {};
}

// ---------- routing ----------

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query || '') };
}

let routeSeq = 0;
async function route() {
  const seq = ++routeSeq;
  const { parts, params } = parseHash();
  const [section, arg] = parts.length ? parts : ['overview'];
  document.querySelectorAll('[data-nav]').forEach(a => {
    if (a.dataset.nav === section) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  const main = document.getElementById('main');
  main.replaceChildren();
  state.view = null;
  let view;
  try {
    if (section === 'incidents' && arg) view = await incidentPage(main, arg);
    else if (section === 'incidents') view = await incidentsPage(main, params);
    else if (section === 'bans') view = await bansPage(main, params);
    else if (section === 'agents' && arg) view = await agentPage(main, arg);
    else if (section === 'agents') view = await agentsPage(main);
    else if (section === 'login') view = await loginPage(main, params);
    else view = await overviewPage(main);
  } catch (e) {
    main.append(errorBox(e));
    view = {};
  }
  if (seq !== routeSeq) return;
  state.view = view;
  document.title = (main.querySelector('h1') ? main.querySelector('h1').textContent + ' · ' : '') + 'PanicMode';
  renderMode();
  const h1 = main.querySelector('h1');
  if (h1 && section !== 'login' && document.activeElement === document.body) h1.focus();
  document.body.dataset.ready = section;
}

// ---------- live updates ----------

// Events arrive from the shared worker (one stream for all tabs) or, where a browser has no
// SharedWorker, from this tab's own EventSource; both hand over {type, status | data}.
function onStream(msg) {
  const live = document.getElementById('live');
  if (msg.type === 'status') {
    if (msg.status === 'live') {
      live.dataset.state = 'live';
      live.textContent = 'Live';
      if (state.wasDown && state.view && state.view.reload) state.view.reload();
      state.wasDown = false;
    } else if (msg.status === 'connecting') {
      live.dataset.state = 'connecting';
      live.textContent = 'Connecting…';
    } else {
      // The stream dropping is shown at once: what the page shows from now on may be out of date.
      live.dataset.state = 'down';
      live.textContent = msg.status === 'closed' ? 'Disconnected' : 'Disconnected · retrying';
      state.wasDown = true;
    }
    return;
  }
  const data = JSON.parse(msg.data);
  if (msg.type === 'incident') {
    const inc = data;
    state.incidents.set(inc.id, inc);
    if (state.view && state.view.onIncident) state.view.onIncident(inc);
    if (inc.state === 'firing' && inc.severity === 'critical') toast(`critical ${inc.rule} on ${inc.host} (latest: ${inc.description || inc.rule})`, 'error', 'critical:' + inc.rule);
  } else if (msg.type === 'heartbeat') {
    const hb = data;
    const prev = state.agents.get(hb.host) || { host: hb.host, roles: {}, nodes: [] };
    const nodes = (prev.nodes || []).filter(n => n.node !== hb.node)
      .concat([{ node: hb.node, lastSeen: hb.ts, version: hb.version, roles: hb.roles }]);
    state.agents.set(hb.host, { ...prev, roles: { ...prev.roles, ...hb.roles }, version: hb.version, lastSeen: hb.ts,
      summary: Object.keys(hb.summary || {}).length ? hb.summary : prev.summary, stale: false, nodes });
    if (state.view && state.view.onHeartbeat) state.view.onHeartbeat(hb);
  } else if (msg.type === 'metrics') {
    if (state.view && state.view.onMetrics) state.view.onMetrics(data);
  }
}

function connect() {
  disconnect();
  if ('SharedWorker' in window) {
    const worker = new SharedWorker('events-worker.js', { name: 'panicmode-events' });
    worker.port.onmessage = m => onStream(m.data);
    worker.port.start();
    state.events = { close() { worker.port.postMessage('bye'); worker.port.close(); } };
    return;
  }
  const es = new EventSource(API + '/events');
  state.events = es;
  es.addEventListener('open', () => onStream({ type: 'status', status: 'live' }));
  es.addEventListener('error', () => onStream({ type: 'status', status: es.readyState === EventSource.CLOSED ? 'closed' : 'retrying' }));
  for (const name of ['incident', 'heartbeat', 'metrics']) es.addEventListener(name, ev => onStream({ type: name, data: ev.data }));
}

function disconnect() {
  if (state.events) { state.events.close(); state.events = null; }
}

// ---------- theme and keys ----------

function applyTheme(t) {
  if (t) document.documentElement.dataset.theme = t; else delete document.documentElement.dataset.theme;
  const dark = t ? t === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  const btn = document.getElementById('theme');
  btn.textContent = dark ? 'Light theme' : 'Dark theme';
  btn.setAttribute('aria-pressed', String(dark));
}

function keys() {
  let g = false;
  document.addEventListener('keydown', ev => {
    const t = ev.target;
    if (ev.ctrlKey || ev.metaKey || ev.altKey || (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA'))) return;
    if (g) {
      g = false;
      const to = { o: 'overview', i: 'incidents', b: 'bans', a: 'agents', l: 'login' }[ev.key];
      if (to) { location.hash = '#/' + to; ev.preventDefault(); }
      return;
    }
    if (ev.key === 'g') { g = true; setTimeout(() => { g = false; }, 1500); return; }
    if (ev.key === '/') {
      ev.preventDefault();
      if (state.view && state.view.search) state.view.search(); else location.hash = '#/incidents';
    }
  });
}

function init() {
  applyTheme(localStorage.getItem(THEME_KEY));
  document.getElementById('theme').addEventListener('click', () => {
    const dark = document.getElementById('theme').getAttribute('aria-pressed') === 'true';
    const next = dark ? 'light' : 'dark';
    localStorage.setItem(THEME_KEY, next);
    applyTheme(next);
  });
  document.getElementById('logout').addEventListener('click', () => { setToken(null); toast('Logged out: read-only.', 'ok'); });
  document.getElementById('login-link').addEventListener('click', ev => {
    ev.preventDefault();
    const here = location.hash && !location.hash.startsWith('#/login') ? location.hash : '#/overview';
    location.hash = '#/login?back=' + encodeURIComponent(here);
  });
  keys();
  renderMode();
  window.addEventListener('hashchange', () => { document.activeElement && document.activeElement.blur(); route(); });
  route();
  connect();
  // A page kept in the back/forward cache would otherwise hold its stream open, and a browser
  // allows only six connections per server: close it on the way out, reopen on the way back.
  window.addEventListener('pagehide', disconnect);
  window.addEventListener('pageshow', ev => { if (ev.persisted) { state.wasDown = true; connect(); } });
  // Relative times and stale flags drift; refresh what the page shows once a minute.
  setInterval(() => { if (state.view && state.view.onTick) state.view.onTick(); }, 60_000);
}

init();
