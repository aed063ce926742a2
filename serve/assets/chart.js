// A line chart on a canvas that draws each new point as one more segment:
// the whole chart is redrawn only when its y range must grow, when it is
// resized, or when the run restarts (docs/serve.md).
'use strict';

// Okabe–Ito colours (colour-blind safe).
const OI = { black: '#000000', orange: '#E69F00', sky: '#56B4E9', green: '#009E73', yellow: '#F0E442', blue: '#0072B2', vermillion: '#D55E00', purple: '#CC79A7' };

// fitCanvas sizes view.canvas to its box at the device's pixel ratio, so
// that view.ctx draws in CSS pixels, and sets view.w and view.h (shared by
// LineChart and MarketView).
function fitCanvas(view) {
  const r = view.canvas.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
  view.canvas.width = Math.max(1, Math.round(r.width * dpr));
  view.canvas.height = Math.max(1, Math.round(r.height * dpr));
  view.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  view.w = r.width; view.h = r.height;
}

class LineChart {
  // opts: {title, series: [{label, color, lane, col, dash, join}], yMin, yMax, fmt,
  // growX}: a series with join draws a line through the values it has
  // across the ticks it lacks (null: a metric measured every k ticks) and a
  // dot at each;
  // with growX the x axis spans the ticks run so far (from 100,
  // growing by half when a row passes its end, up to reset's xMax).
  // Without it, the x axis spans reset's xMax (the run's length).
  constructor(canvas, opts) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.opts = opts;
    this.xMax = 1;
    this.marks = [];   // [{tick, label}]
    this.ghosts = [];  // [[t, v], …] of other branches, drawn grey
    this.data = opts.series.map(() => []);
    this.y0 = opts.yMin ?? 0;
    this.y1 = opts.yMax ?? 1;
    this.fullDraws = 0; // counted, for tests: redraws from scratch
    this.segments = 0;  // segments drawn one by one
    new ResizeObserver(() => this.resize()).observe(canvas);
  }

  resize() {
    fitCanvas(this);
    this.redraw();
  }

  reset(xMax) {
    this.xLimit = Math.max(1, xMax);
    this.xMax = this.opts.growX ? Math.min(this.xLimit, 100) : this.xLimit;
    this.data = this.opts.series.map(() => []);
    this.marks = []; this.ghosts = [];
    this.y0 = this.opts.yMin ?? 0;
    this.y1 = this.opts.yMax ?? 1;
  }

  // plot area
  get L() { return 52; } get R() { return this.w - 10; } get T() { return 26 + 16 * (this.legendRows || 0); } get B() { return this.h - 22; }
  px(t) { return this.L + (this.R - this.L) * t / this.xMax; }
  py(v) { return this.B - (this.B - this.T) * (v - this.y0) / (this.y1 - this.y0 || 1); }

  // push appends rows (per lane: [[tick, …cols]]) and draws the new segments.
  push(lanes) {
    let grow = false;
    const added = this.opts.series.map(() => 0);
    this.opts.series.forEach((s, i) => {
      const rows = lanes[s.lane] || [];
      for (const r of rows) {
        const v = r[s.col];
        this.data[i].push([r[0], v]);
        added[i]++;
        if (v !== null && (v > this.y1 || v < this.y0)) grow = true;
        if (this.opts.growX && r[0] > this.xMax) { this.xMax = Math.min(this.xLimit, nice(r[0] * 1.5)); grow = true; }
      }
    });
    if (grow) { this.fit(); this.redraw(); return; }
    if (!this.w) return;
    const c = this.ctx;
    this.opts.series.forEach((s, i) => {
      const d = this.data[i];
      if (!added[i]) return;
      let from = Math.max(0, d.length - added[i] - 1);
      if (s.join) while (from > 0 && d[from][1] === null) from--;
      this.stroke(s, d, from);
      this.segments += added[i];
    });
  }

  fit() {
    const top = this.opts.yMax ?? 1, bottom = this.opts.yMin ?? 0;
    let hi = top, lo = bottom;
    for (const d of this.data) for (const [, v] of d) if (v !== null) { hi = Math.max(hi, v); lo = Math.min(lo, v); }
    for (const g of this.ghosts) for (const [, v] of g) if (v !== null) hi = Math.max(hi, v);
    this.y1 = hi > top ? nice(hi * 1.15) : top;
    this.y0 = lo < bottom ? -nice(-lo * 1.15) : bottom;
  }

  mark(tick, label) { this.marks.push({ tick, label }); this.drawMark(this.marks[this.marks.length - 1]); }

  setGhosts(ghosts) { this.ghosts = ghosts; }

  stroke(s, d, from) {
    const c = this.ctx;
    c.strokeStyle = s.color; c.lineWidth = s.width || 2.5; c.setLineDash(s.dash ? [7, 5] : []);
    c.beginPath();
    let pen = false;
    for (let k = from; k < d.length; k++) {
      const [t, v] = d[k];
      if (v === null) { if (!s.join) pen = false; continue; }
      const x = this.px(t), y = this.py(v);
      if (pen) c.lineTo(x, y); else c.moveTo(x, y);
      pen = true;
    }
    c.stroke();
    if (s.join) {
      c.fillStyle = s.color;
      for (let k = from; k < d.length; k++) {
        const [t, v] = d[k];
        if (v !== null) { c.beginPath(); c.arc(this.px(t), this.py(v), 3, 0, 2 * Math.PI); c.fill(); }
      }
    }
    c.setLineDash([]);
  }

  legendItem(s, x, y) {
    const c = this.ctx;
    c.strokeStyle = s.color; c.lineWidth = 3; c.setLineDash(s.dash ? [5, 3] : []);
    c.beginPath(); c.moveTo(x, y - 5); c.lineTo(x + 16, y - 5); c.stroke(); c.setLineDash([]);
    c.fillStyle = '#111'; c.fillText(s.label, x + 20, y);
  }

  drawMark(m) {
    const c = this.ctx, x = this.px(m.tick);
    c.strokeStyle = OI.vermillion; c.lineWidth = 1.5; c.setLineDash([3, 3]);
    c.beginPath(); c.moveTo(x, this.T); c.lineTo(x, this.B); c.stroke(); c.setLineDash([]);
    c.fillStyle = OI.vermillion; c.font = '12px system-ui, sans-serif'; c.textAlign = 'left';
    c.fillText(m.label, Math.min(x + 3, this.R - 60), this.T + 12);
  }

  redraw() {
    if (!this.w) return;
    this.fullDraws++;
    const c = this.ctx, o = this.opts;
    c.clearRect(0, 0, this.w, this.h);
    c.fillStyle = '#111'; c.font = 'bold 15px system-ui, sans-serif'; c.textAlign = 'left';
    c.fillText(o.title, 8, 17);
    // legend: beside the title when it fits, else in rows below it
    c.font = '13px system-ui, sans-serif';
    const shown = o.series.filter((s) => s.legend !== false);
    const items = shown.map((s) => ({ s, w: c.measureText(s.label).width + 26 }));
    const total = items.reduce((w, it) => w + it.w, 0);
    c.font = 'bold 15px system-ui, sans-serif';
    const titleW = c.measureText(o.title).width + 16;
    c.font = '13px system-ui, sans-serif'; c.textAlign = 'left';
    let rows = 0;
    if (titleW + total <= this.w) {
      let x = this.w - 8 - total;
      for (const it of items) { this.legendItem(it.s, x, 17); x += it.w; }
    } else {
      let x = 8, y = 35; rows = 1;
      for (const it of items) {
        if (x + it.w > this.w - 8 && x > 8) { x = 8; y += 16; rows++; }
        this.legendItem(it.s, x, y); x += it.w;
      }
    }
    this.legendRows = rows;
    // axes
    c.strokeStyle = '#ddd'; c.lineWidth = 1; c.fillStyle = '#333'; c.font = '12px system-ui, sans-serif';
    const step = niceStep((this.y1 - this.y0) / 4);
    for (let v = Math.ceil(this.y0 / step) * step; v <= this.y1 + step * 1e-9; v += step) {
      const y = this.py(v);
      c.beginPath(); c.moveTo(this.L, y); c.lineTo(this.R, y); c.stroke();
      c.textAlign = 'right'; c.fillText((o.fmt || fmtNum)(v), this.L - 4, y + 4);
    }
    c.textAlign = 'center';
    for (let k = 0; k <= 5; k++) {
      const t = Math.round(this.xMax * k / 5), x = this.px(t);
      // a label that would run past the right edge ends at it
      if (x + c.measureText(t).width / 2 > this.w - 1) { c.textAlign = 'right'; c.fillText(t, this.w - 1, this.B + 15); c.textAlign = 'center'; } else c.fillText(t, x, this.B + 15);
    }
    c.strokeStyle = '#888'; c.beginPath(); c.moveTo(this.L, this.T); c.lineTo(this.L, this.B); c.lineTo(this.R, this.B); c.stroke();
    for (const g of this.ghosts) this.stroke({ color: '#aaa', width: 2 }, g, 0);
    for (const m of this.marks) this.drawMark(m);
    o.series.forEach((s, i) => this.stroke(s, this.data[i], 0));
  }
}

// nice rounds x up to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten.
function nice(x) {
  if (!(x > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x))), f = x / p;
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (f <= m + 1e-9) return m * p;
  return 10 * p;
}

// niceStep rounds a grid step up to 1, 2, 2.5 or 5 times a power of ten.
function niceStep(x) {
  if (!(x > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x))), f = x / p;
  for (const m of [1, 2, 2.5, 5, 10]) if (f <= m + 1e-9) return m * p;
  return 10 * p;
}

function fmtNum(v) {
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}
