// The market view: each alive firm a point in practice space (firms with
// the same strategy together), coloured by strategy cluster (the most
// common strategies), the firms that failed since the latest shock as ×.
'use strict';

const CLUSTER = [OI.orange, OI.sky, OI.green, OI.yellow, OI.blue, OI.vermillion, OI.purple];

class MarketView {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.ev = null;
    this.mine = new Set(); // participants' firms (ids), ringed
    this.title = 'The market: firms in practice space'; // app.js sets a culture world's
    new ResizeObserver(() => this.resize()).observe(canvas);
  }

  resize() {
    fitCanvas(this);
    if (this.ev) this.draw(this.ev);
  }

  draw(ev) {
    this.ev = ev;
    if (!this.w) return;
    const c = this.ctx;
    c.clearRect(0, 0, this.w, this.h);
    c.fillStyle = '#111'; c.font = 'bold 15px system-ui, sans-serif'; c.textAlign = 'left';
    c.fillText(this.title, 8, 17);
    const n = ev.lanes.length, top = 26, legend = ev.lanes[0].mine.length ? 101 : 86;
    const hh = (this.h - top - legend) / n;
    ev.lanes.forEach((mv, k) => this.lane(mv, 8, top + k * hh, this.w - 16, hh - 4, n > 1));
    // legend: the clusters of the first market and the victims
    const mv = ev.lanes[0];
    let y = this.h - legend + 14;
    c.font = '12px system-ui, sans-serif';
    mv.top.forEach((t, i) => {
      const x = 8 + (i % 2) * (this.w / 2);
      if (i % 2 === 0 && i > 0) y += 15;
      c.fillStyle = CLUSTER[i]; c.beginPath(); c.arc(x + 5, y - 4, 5, 0, 2 * Math.PI); c.fill();
      c.strokeStyle = '#333'; c.lineWidth = 0.5; c.stroke();
      // a strategy too long for its column (e.g. 10 traits of 100) is cut with …
      const pct = ` ${Math.round(t.share * 100)} %`, room = this.w / 2 - 22;
      let text = t.strategy + pct;
      if (c.measureText(text).width > room) {
        let cut = t.strategy;
        while (cut.length > 4 && c.measureText(cut + '…' + pct).width > room) cut = cut.slice(0, -1);
        text = cut + '…' + pct;
      }
      c.fillStyle = '#111'; c.fillText(text, x + 14, y);
    });
    y += 15;
    c.fillStyle = '#111';
    if (mv.mine.length) c.fillText('○ participants\' firms (dotted: out of business)', 8, y + 15);
    c.fillText(mv.shock ? `× exited since the shock at tick ${mv.shock} (any cause)` : 'grey: other strategies', 8, y);
  }

  lane(mv, x0, y0, w, h, titled) {
    const c = this.ctx;
    if (titled) { c.fillStyle = '#333'; c.font = '13px system-ui, sans-serif'; c.fillText(`${mv.name} · tick ${mv.tick}`, x0, y0 + 12); y0 += 16; h -= 16; }
    c.strokeStyle = '#ddd'; c.lineWidth = 1; c.strokeRect(x0, y0, w, h);
    c.save(); c.beginPath(); c.rect(x0, y0, w, h); c.clip();
    const s = Math.min(w, h) / (2 * mv.scale), cx = x0 + w / 2, cy = y0 + h / 2;
    for (const [x, y, cl, , victim] of mv.points) {
      if (victim) continue;
      c.fillStyle = cl >= 0 ? CLUSTER[cl] : '#bbb';
      c.fillRect(cx + x * s - 2.5, cy + y * s - 2.5, 5, 5);
    }
    c.strokeStyle = '#000'; c.lineWidth = 1.5;
    c.beginPath();
    for (const [x, y, , , victim] of mv.points) {
      if (!victim) continue;
      const px = cx + x * s, py = cy + y * s;
      c.moveTo(px - 3, py - 3); c.lineTo(px + 3, py + 3); c.moveTo(px + 3, py - 3); c.lineTo(px - 3, py + 3);
    }
    c.stroke();
    // participants' firms, ringed
    c.lineWidth = 2.5; c.strokeStyle = '#000';
    for (const [x, y, alive] of mv.mine) {
      c.setLineDash(alive ? [] : [2, 2]);
      c.beginPath(); c.arc(cx + x * s, cy + y * s, 7, 0, 2 * Math.PI); c.stroke();
    }
    c.setLineDash([]);
    c.restore();
  }
}
