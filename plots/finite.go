package plots

import (
	"context"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// maxCoord bounds the coordinates (in points) a chart hands to a canvas:
// a figure is about 720 points wide, so anything beyond is off the page.
// Rasterizers take time proportional to a path's extent and never return
// on NaN coordinates, so a mark with a non-finite or absurd coordinate
// (from NaN or ±Inf data, or a panel squeezed to nothing) is dropped.
const maxCoord = 1e5

// finiteCanvas passes drawing operations on to a canvas, dropping every
// one whose coordinates are not finite or lie far off the page, and every
// one after ctx is done, so that no data can make drawing hang and an
// interrupt stops it.
type finiteCanvas struct {
	vg.Canvas
	ctx     context.Context
	dropped int // operations dropped for non-finite coordinates
}

func okCoord(v vg.Length) bool {
	f := float64(v)
	return !math.IsNaN(f) && f > -maxCoord && f < maxCoord
}

func okPoint(p vg.Point) bool { return okCoord(p.X) && okCoord(p.Y) }

func (c *finiteCanvas) live() bool { return c.ctx == nil || c.ctx.Err() == nil }

func (c *finiteCanvas) okPath(p vg.Path) bool {
	if !c.live() {
		return false
	}
	for _, e := range p {
		if !okPoint(e.Pos) || !okCoord(e.Radius) || math.IsNaN(e.Start) || math.IsInf(e.Start, 0) || math.IsNaN(e.Angle) || math.IsInf(e.Angle, 0) {
			c.dropped++
			return false
		}
		for _, q := range e.Control {
			if !okPoint(q) {
				c.dropped++
				return false
			}
		}
	}
	return true
}

// SetLineWidth implements vg.Canvas.
func (c *finiteCanvas) SetLineWidth(w vg.Length) {
	if okCoord(w) {
		c.Canvas.SetLineWidth(w)
	}
}

// SetLineDash implements vg.Canvas.
func (c *finiteCanvas) SetLineDash(pattern []vg.Length, offset vg.Length) {
	for _, d := range pattern {
		if !okCoord(d) || d < 0 {
			return
		}
	}
	if okCoord(offset) {
		c.Canvas.SetLineDash(pattern, offset)
	}
}

// SetColor implements vg.Canvas.
func (c *finiteCanvas) SetColor(col color.Color) { c.Canvas.SetColor(col) }

// Rotate implements vg.Canvas.
func (c *finiteCanvas) Rotate(rad float64) {
	if !math.IsNaN(rad) && !math.IsInf(rad, 0) {
		c.Canvas.Rotate(rad)
	}
}

// Translate implements vg.Canvas. A non-finite translation becomes none;
// the marks drawn after it are then misplaced, never unbounded.
func (c *finiteCanvas) Translate(pt vg.Point) {
	if okPoint(pt) {
		c.Canvas.Translate(pt)
	}
}

// Scale implements vg.Canvas.
func (c *finiteCanvas) Scale(x, y float64) {
	if okCoord(vg.Length(x)) && okCoord(vg.Length(y)) {
		c.Canvas.Scale(x, y)
	}
}

// Stroke implements vg.Canvas.
func (c *finiteCanvas) Stroke(p vg.Path) {
	if c.okPath(p) {
		c.Canvas.Stroke(p)
	}
}

// Fill implements vg.Canvas.
func (c *finiteCanvas) Fill(p vg.Path) {
	if c.okPath(p) {
		c.Canvas.Fill(p)
	}
}

// FillString implements vg.Canvas.
func (c *finiteCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if !c.live() {
		return
	}
	if !okPoint(pt) || !okCoord(f.Font.Size) {
		c.dropped++
		return
	}
	c.Canvas.FillString(f, pt, s)
}

// DrawImage implements vg.Canvas.
func (c *finiteCanvas) DrawImage(r vg.Rectangle, img image.Image) {
	if !c.live() {
		return
	}
	if !okPoint(r.Min) || !okPoint(r.Max) {
		c.dropped++
		return
	}
	c.Canvas.DrawImage(r, img)
}

// finiteAxis makes an axis range drawable: non-finite bounds become
// finite ones (from the other bound, or 0 and 1), so that tick markers
// and transforms never see NaN or ±Inf.
func finiteAxis(ax *plot.Axis) {
	fin := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case fin(ax.Min) && fin(ax.Max):
	case fin(ax.Min):
		ax.Max = ax.Min + 1
	case fin(ax.Max):
		ax.Min = ax.Max - 1
	default:
		ax.Min, ax.Max = 0, 1
	}
	if ax.Min > ax.Max {
		ax.Min, ax.Max = ax.Max, ax.Min
	}
}
