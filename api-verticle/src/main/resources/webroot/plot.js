// A small SVG time-series plotter: one series, time on x, gaps where a value is missing.
// Drawn from scratch so the dashboard needs nothing from outside the jar.

const SVG = 'http://www.w3.org/2000/svg';
const W = 420, H = 170, L = 40, R = 8, T = 10, B = 22;

function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

// "Nice" tick step for a range, so axis labels read 0, 25, 50 rather than 0, 23.7, 47.4.
function niceStep(range, ticks) {
  const raw = range / ticks;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const n = raw / mag;
  return (n >= 5 ? 10 : n >= 2 ? 5 : n >= 1 ? 2 : 1) * mag;
}

export function formatValue(v, unit) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return v.toFixed(digits) + (unit || '');
}

function clock(ts) {
  const d = new Date(ts);
  return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
}

/**
 * Renders points [{ts, v}] (v may be null) into a new <figure>.
 * opts: {title, unit, max (fixed top, e.g. 100 for percentages), windowMs, markers: [{ts, label, kind}]}
 * (kind: incident, ban-on or ban-off; each drawn in its own colour)
 */
export function plot(points, opts) {
  const fig = document.createElement('figure');
  fig.className = 'plot card';
  fig.style.margin = '0';
  const head = document.createElement('figcaption');
  head.className = 'head';
  const title = document.createElement('strong');
  title.textContent = opts.title;
  const last = document.createElement('span');
  last.className = 'last';
  head.append(title, last);
  fig.append(head);
  const holder = document.createElement('div');
  fig.append(holder);
  fig.update = (pts, more) => { Object.assign(opts, more || {}); draw(holder, last, pts, opts); };
  fig.update(points);
  return fig;
}

function draw(holder, lastEl, points, opts) {
  const vals = points.filter(p => p.v !== null && p.v !== undefined && Number.isFinite(p.v));
  const now = points.length ? points[points.length - 1].ts : Date.now();
  const x0 = opts.windowMs ? Math.min(now - opts.windowMs, points.length ? points[0].ts : now) : (points.length ? points[0].ts : now - 3600e3);
  const x1 = Math.max(now, x0 + 60e3);
  let top = opts.max !== undefined ? opts.max : 0;
  for (const p of vals) top = Math.max(top, p.v);
  if (top <= 0) top = 1;
  const step = niceStep(top, 4);
  top = Math.ceil(top / step) * step;

  const sx = t => L + (t - x0) / (x1 - x0) * (W - L - R);
  const sy = v => T + (1 - v / top) * (H - T - B);

  const lastVal = vals.length ? vals[vals.length - 1].v : null;
  lastEl.textContent = formatValue(lastVal, opts.unit);
  const min = vals.length ? Math.min(...vals.map(p => p.v)) : null;
  const max = vals.length ? Math.max(...vals.map(p => p.v)) : null;
  const summary = vals.length
    ? `${opts.title}: latest ${formatValue(lastVal, opts.unit)}, min ${formatValue(min, opts.unit)}, max ${formatValue(max, opts.unit)} over ${vals.length} samples since ${clock(x0)}.`
    : `${opts.title}: no samples yet.`;

  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary });
  svg.append(el('title', {}, summary));
  for (let v = 0; v <= top + 1e-9; v += step) {
    const y = sy(v);
    svg.append(el('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'grid-line' }));
    svg.append(el('text', { x: L - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, String(Math.round(v * 100) / 100)));
  }
  const span = x1 - x0;
  const tickMs = [60e3, 5 * 60e3, 10 * 60e3, 15 * 60e3, 30 * 60e3, 3600e3, 2 * 3600e3].find(s => span / s <= 5) || 6 * 3600e3;
  for (let t = Math.ceil(x0 / tickMs) * tickMs; t <= x1; t += tickMs) {
    // Labels near either edge are anchored inwards so they are not clipped.
    const x = sx(t);
    const anchor = x > W - R - 18 ? 'end' : x < L + 18 ? 'start' : 'middle';
    svg.append(el('text', { x, y: H - 6, 'text-anchor': anchor, class: 'axis' }, clock(t)));
  }
  // One path per run of consecutive present values: a missing bucket shows as a gap, never a dip to 0.
  let d = '', area = '', run = [];
  const flush = () => {
    if (run.length === 0) return;
    d += run.map((p, i) => (i ? 'L' : 'M') + sx(p.ts).toFixed(1) + ' ' + sy(p.v).toFixed(1)).join(' ') + ' ';
    if (run.length > 1) {
      area += `M${sx(run[0].ts).toFixed(1)} ${sy(0)} ` + run.map(p => 'L' + sx(p.ts).toFixed(1) + ' ' + sy(p.v).toFixed(1)).join(' ')
        + ` L${sx(run[run.length - 1].ts).toFixed(1)} ${sy(0)} Z `;
    }
    run = [];
  };
  for (const p of points) {
    if (p.v === null || p.v === undefined || !Number.isFinite(p.v)) flush(); else run.push(p);
  }
  flush();
  if (area) svg.append(el('path', { d: area, class: 'area' }));
  if (d) svg.append(el('path', { d, class: 'line' }));
  for (const p of vals.length === 1 ? vals : []) svg.append(el('circle', { cx: sx(p.ts), cy: sy(p.v), r: 3, class: 'line' }));
  // Incidents and bans as vertical marks, their label on hover.
  for (const m of opts.markers || []) {
    if (m.ts < x0 || m.ts > x1) continue;
    const g = el('g', { class: 'marker ' + (m.kind || 'incident'), 'data-ts': m.ts });
    g.append(el('line', { x1: sx(m.ts), x2: sx(m.ts), y1: T, y2: H - B }), el('title', {}, `${clock(m.ts)} ${m.label}`));
    svg.append(g);
  }
  // Hover values: an invisible target per sample carrying its time and value.
  for (const p of vals) {
    const c = el('circle', { cx: sx(p.ts).toFixed(1), cy: sy(p.v).toFixed(1), r: 4, class: 'hit' });
    c.append(el('title', {}, `${clock(p.ts)}: ${formatValue(p.v, opts.unit)}`));
    svg.append(c);
  }
  holder.replaceChildren(svg);
}
