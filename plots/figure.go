package plots

import (
	"context"
	"time"

	"fmt"
	"image/color"
	"io"
	"math"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Chart is one rendered-on-demand figure: a title, panels, a legend kept
// outside the data and a caption.
type Chart struct {
	Name    string // file name without extension, e.g. "diversity"
	Title   string // the figure title, stating its subject
	Caption string // what the marks mean (bands, lines), below the panels

	grid   [][]*plot.Plot    // panels, row-major; nil entries leave a gap
	below  [][][]legendEntry // per-panel legends under a single row of panels
	legend []legendEntry     // shared legend
	// legendBelow puts the shared legend under the panels instead of to
	// their right.
	legendBelow bool
	// rowLabels label the categories 0, 1, … of the first row's y axis in
	// a strip left of the panels, so that long labels never overlap data.
	rowLabels []string
	// rowLabelHead, if set, is drawn above the row labels (e.g. the swept
	// parameters whose values the labels list).
	rowLabelHead string
	width        vg.Length
	height       vg.Length
}

type legendEntry struct {
	label  string
	thumbs []plot.Thumbnailer
}

// Size returns the figure size.
func (c *Chart) Size() (w, h vg.Length) {
	w, h = c.width, c.height
	if w == 0 {
		w = figWidth
	}
	if h == 0 {
		h = figHeight
	}
	return w, h
}

// Render writes the chart in format ("png", "svg" or "pdf") to w. dpi
// applies to PNG only; 0 means [DefaultDPI].
func (c *Chart) Render(w io.Writer, format string, dpi int) error {
	return c.RenderContext(context.Background(), w, format, dpi)
}

// RenderContext is [Chart.Render] that stops drawing when ctx is done
// and then returns ctx's error. Marks with non-finite coordinates are
// dropped, so that drawing ends for any data.
func (c *Chart) RenderContext(ctx context.Context, w io.Writer, format string, dpi int) error {
	if dpi <= 0 {
		dpi = DefaultDPI
	}
	width, height := c.Size()
	var cv vg.CanvasWriterTo
	switch strings.ToLower(format) {
	case "png":
		cv = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi))}
	case "svg":
		cv = vgsvg.New(width, height)
	case "pdf":
		cv = pdfCanvas{vgpdf.New(width, height)}
	default:
		return fmt.Errorf("%w %q (want png, svg or pdf)", ErrFormat, format)
	}
	c.Draw(draw.NewCanvas(&finiteCanvas{Canvas: cv, ctx: ctx}, width, height))
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := cv.WriteTo(w)
	return err
}

// Draw draws the chart onto dc.
func (c *Chart) Draw(dc draw.Canvas) {
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	const margin = 12
	body := draw.Crop(dc, margin, -margin, margin/2, -margin)
	body = c.drawTitle(body)
	body = c.drawCaption(body)
	body = c.drawSharedLegend(body)
	if len(c.grid) == 0 {
		return
	}
	l := c.layout(body)
	for i, row := range l.grid {
		cells := l.drawRow(i, row)
		if i == 0 {
			l.drawRowLabels(c, row, cells)
		}
		l.lastCells = cells
	}
	l.drawBelowLegends()
}

// drawTitle writes the title, wrapped if needed, left-aligned, at the top
// of body and returns the room left under it.
func (c *Chart) drawTitle(body draw.Canvas) draw.Canvas {
	ts := textStyle(sansBold, sizeTitle, black)
	ts.XAlign, ts.YAlign = draw.XLeft, draw.YTop
	lines := wrapText(ts, c.Title, body.Max.X-body.Min.X)
	lh := ts.FontExtents().Height
	y := body.Max.Y
	for _, l := range lines {
		body.FillText(ts, vg.Point{X: body.Min.X, Y: y}, l)
		y -= lh
	}
	body.Max.Y = y - 6
	return body
}

// drawCaption writes the caption at the bottom of body and returns the
// room left above it.
func (c *Chart) drawCaption(body draw.Canvas) draw.Canvas {
	if c.Caption == "" {
		return body
	}
	cs := textStyle(sansRegular, sizeCaption, darkGrey)
	cs.XAlign, cs.YAlign = draw.XLeft, draw.YBottom
	var lines []string
	for _, para := range strings.Split(c.Caption, "\n") {
		lines = append(lines, wrapText(cs, para, body.Max.X-body.Min.X)...)
	}
	ch := cs.FontExtents().Height
	for i := len(lines) - 1; i >= 0; i-- {
		body.FillText(cs, vg.Point{X: body.Min.X, Y: body.Min.Y}, lines[i])
		body.Min.Y += ch
	}
	body.Min.Y += 6
	return body
}

// drawSharedLegend draws the legend shared by the panels, below them or
// in a column to their right, and returns the room left for the panels.
func (c *Chart) drawSharedLegend(body draw.Canvas) draw.Canvas {
	if len(c.legend) == 0 {
		return body
	}
	if c.legendBelow {
		h := drawLegendRows(body, c.legend)
		body.Min.Y += h + 4
		return body
	}
	w := legendWidth(c.legend)
	strip := body
	strip.Min.X = body.Max.X - w
	body.Max.X = strip.Min.X - 10
	// Align the legend's top with the top of the data area.
	top := strip
	if len(c.grid) > 0 && len(c.grid[0]) > 0 && c.grid[0][0] != nil {
		p := c.grid[0][0]
		if p.Title.Text != "" {
			top.Max.Y -= p.Title.TextStyle.Rectangle(p.Title.Text).Size().Y + p.Title.Padding
		}
	}
	drawLegendColumn(top, c.legend)
	return body
}

// panelLayout is one rendering of a chart's panels: where the rows go, and
// copies of the panels that are fitted to their tiles (ticks, wrapped
// labels, titles drawn apart), so that drawing never changes the chart.
type panelLayout struct {
	body       draw.Canvas // the figure inside its margins, title, caption and shared legend
	panels     draw.Canvas // the room of the rows of panels
	grid       [][]*plot.Plot
	rowH       vg.Length
	labelStyle text.Style      // style of the row labels, if any
	below      [][]legendEntry // per-panel legends under the last row
	belowH     vg.Length       // their height, 0 without
	lastCells  []draw.Canvas   // the tiles of the last row drawn
}

// padY is the vertical gap between rows of panels.
const padY = 14

// layout places the rows of panels in body, with room for the per-panel
// legends below them and the row labels to their left.
func (c *Chart) layout(body draw.Canvas) *panelLayout {
	l := &panelLayout{body: body, grid: make([][]*plot.Plot, len(c.grid))}
	for i, row := range c.grid {
		l.grid[i] = make([]*plot.Plot, len(row))
		for j, p := range row {
			if p != nil {
				cp := *p
				l.grid[i][j] = &cp
			}
		}
	}
	rows := len(c.grid)
	if len(c.below) > 0 {
		l.below = c.below[len(c.below)-1]
		cols := len(c.grid[rows-1])
		w := (body.Max.X-body.Min.X)/vg.Length(cols) - 60 // about the data width
		for _, entries := range l.below {
			l.belowH = max(l.belowH, legendGridHeight(entries, w))
		}
		if l.belowH > 0 {
			l.belowH += 8
		}
	}
	l.panels = body
	l.panels.Min.Y += l.belowH
	if len(c.rowLabels) > 0 {
		l.labelStyle = rowLabelStyle(c.rowLabels, (body.Max.X-body.Min.X)*0.3)
		var w vg.Length
		for _, s := range append([]string{c.rowLabelHead}, c.rowLabels...) {
			w = max(w, l.labelStyle.Width(s))
		}
		l.panels.Min.X += w + 10
	}
	l.rowH = (l.panels.Max.Y - l.panels.Min.Y - padY*vg.Length(rows-1)) / vg.Length(rows)
	return l
}

// drawRow draws row i: the panel titles on one line across the row, then
// the panels with their data areas aligned. It returns the panels' tiles.
func (l *panelLayout) drawRow(i int, row []*plot.Plot) []draw.Canvas {
	strip := l.panels
	strip.Max.Y = l.panels.Max.Y - vg.Length(i)*(l.rowH+padY)
	strip.Min.Y = strip.Max.Y - l.rowH
	cols := len(row)
	tileW := (strip.Max.X - strip.Min.X - 18*vg.Length(cols-1)) / vg.Length(cols)
	titleStyle := textStyle(sansBold, sizePanel, black)
	titleStyle.XAlign, titleStyle.YAlign = draw.XCenter, draw.YTop
	raw := make([]string, cols)
	nTitle := 0
	for j, p := range row {
		if p == nil {
			continue
		}
		finiteAxis(&p.X)
		finiteAxis(&p.Y)
		fitPanel(p, tileW, l.rowH)
		raw[j] = p.Title.Text
		p.Title.Text = ""
		if raw[j] != "" {
			nTitle = max(nTitle, len(wrapText(titleStyle, raw[j], tileW-10)))
		}
	}
	cells, centers, titles := l.alignRow(row, strip, raw, nTitle, titleStyle)
	th := titleStyle.FontExtents().Height
	for j, p := range row {
		if p == nil {
			continue
		}
		p.Draw(cells[j])
		for k, s := range titles[j] {
			// Centred over the data, shifted inwards at the figure's edges.
			half := titleStyle.Width(s) / 2
			x := max(l.body.Min.X+half, min(l.body.Max.X-half, centers[j]))
			l.body.FillText(titleStyle, vg.Point{X: x, Y: strip.Max.Y - vg.Length(k)*th}, s)
		}
	}
	return cells
}

// alignRow aligns the panels of a row in strip under nTitle lines of
// titles. Titles are centred over the data areas and wrapped so that
// neighbours do not touch; more lines need more room, so it aligns again
// until the room reserved is enough. It returns the tiles, the centres of
// the data areas and the wrapped titles.
func (l *panelLayout) alignRow(row []*plot.Plot, strip draw.Canvas, raw []string, nTitle int, titleStyle text.Style) (cells []draw.Canvas, centers []vg.Length, titles [][]string) {
	cols := len(row)
	centers = make([]vg.Length, cols)
	titles = make([][]string, cols)
	th := titleStyle.FontExtents().Height
	for range 3 {
		area := strip
		area.Max.Y -= vg.Length(nTitle) * th
		if nTitle > 0 {
			area.Max.Y -= 6
		}
		cells = plot.Align([][]*plot.Plot{row}, draw.Tiles{Rows: 1, Cols: cols, PadX: 18}, area)[0]
		if wrapYLabels(row, cells) {
			cells = plot.Align([][]*plot.Plot{row}, draw.Tiles{Rows: 1, Cols: cols, PadX: 18}, area)[0]
		}
		for j, p := range row {
			if p != nil {
				dc := p.DataCanvas(cells[j])
				centers[j] = (dc.Min.X + dc.Max.X) / 2
			} else {
				centers[j] = (cells[j].Min.X + cells[j].Max.X) / 2
			}
		}
		need := 0
		for j := range row {
			if raw[j] == "" {
				continue
			}
			w := l.body.Max.X - l.body.Min.X
			if j > 0 {
				w = min(w, centers[j]-centers[j-1]-12)
			}
			if j+1 < cols {
				w = min(w, centers[j+1]-centers[j]-12)
			}
			titles[j] = wrapText(titleStyle, raw[j], w)
			need = max(need, len(titles[j]))
		}
		if need <= nTitle {
			break
		}
		nTitle = need
	}
	return cells, centers, titles
}

// drawRowLabels writes the chart's row labels (and their head) left of the
// first panel of the first row, at the panel's categories 0, 1, ….
func (l *panelLayout) drawRowLabels(c *Chart, row []*plot.Plot, cells []draw.Canvas) {
	if len(c.rowLabels) == 0 || row[0] == nil {
		return
	}
	labelStyle := l.labelStyle
	dc := row[0].DataCanvas(cells[0])
	_, trY := row[0].Transforms(&dc)
	if len(c.rowLabels) > 1 {
		// Smaller labels when the rows are closer than a line.
		gap := vg.Length(math.Abs(float64(trY(1) - trY(0))))
		for labelStyle.Font.Size > sizeNote-3 && labelStyle.FontExtents().Height > gap*0.95 {
			labelStyle.Font.Size--
		}
	}
	if c.rowLabelHead != "" {
		hs := labelStyle
		hs.Font.Variant, hs.Font.Weight = sansBold.Variant, sansBold.Weight
		hs.YAlign = draw.YBottom
		l.body.FillText(hs, vg.Point{X: cells[0].Min.X - 6, Y: dc.Max.Y + 4}, c.rowLabelHead)
	}
	for k, s := range c.rowLabels {
		y := trY(float64(k))
		if y < dc.Min.Y-1 || y > dc.Max.Y+1 {
			continue
		}
		l.body.FillText(labelStyle, vg.Point{X: cells[0].Min.X - 6, Y: y}, s)
	}
}

// drawBelowLegends draws the per-panel legends under the last row.
func (l *panelLayout) drawBelowLegends() {
	if l.belowH == 0 {
		return
	}
	row := l.grid[len(l.grid)-1]
	for j, entries := range l.below {
		if j >= len(row) || len(entries) == 0 {
			continue
		}
		area := l.lastCells[j]
		if p := row[j]; p != nil && len(row) < 3 {
			// Aligned with the data; with three or more panels the
			// legend takes the width of the axis too.
			area.Min.X = p.DataCanvas(l.lastCells[j]).Min.X
		}
		area.Max.Y = l.body.Min.Y + l.belowH - 8
		area.Min.Y = l.body.Min.Y
		drawLegendGrid(area, entries)
	}
}

// wrapYLabels wraps each panel's y-axis label to the height of its data
// area in cells, and reports whether any label changed. A label longer
// than its data area sticks out above it, and the plot shrinks the data
// area to make room, so that panels with long labels would start lower
// than their neighbours.
func wrapYLabels(row []*plot.Plot, cells []draw.Canvas) bool {
	changed := false
	for j, p := range row {
		if p == nil || p.Y.Label.Text == "" {
			continue
		}
		dc := p.DataCanvas(cells[j])
		raw := strings.ReplaceAll(p.Y.Label.Text, "\n", " ")
		wrapped := strings.Join(wrapText(p.Y.Label.TextStyle, raw, max(dc.Max.Y-dc.Min.Y, 60)), "\n")
		if wrapped != p.Y.Label.Text {
			p.Y.Label.Text = wrapped
			changed = true
		}
	}
	return changed
}

// rowLabelStyle is the style of row labels: tick-label size, smaller
// if the longest label would take more than maxW.
func rowLabelStyle(labels []string, maxW vg.Length) text.Style {
	var sty text.Style
	for _, size := range []float64{sizeTick, sizeTick - 1, sizeNote - 1, sizeNote - 2} {
		sty = textStyle(sansRegular, size, black)
		sty.XAlign, sty.YAlign = draw.XRight, draw.YCenter
		fits := true
		for _, l := range labels {
			if sty.Width(l) > maxW {
				fits = false
				break
			}
		}
		if fits {
			break
		}
	}
	return sty
}

// fitPanel adapts a panel to its tile: fewer ticks on small panels (as
// many as have room for their labels), and axis labels wrapped to the
// panel's size.
func fitPanel(p *plot.Plot, w, h vg.Length) {
	if t, ok := p.X.Tick.Marker.(niceTicks); ok && t.n == 0 {
		p.X.Tick.Marker = fitTicks(t, p.X, int(min(6, max(3, float64(w-40)/70))), w-70, true)
	}
	if t, ok := p.Y.Tick.Marker.(niceTicks); ok && t.n == 0 {
		p.Y.Tick.Marker = fitTicks(t, p.Y, int(min(6, max(3, float64(h-40)/50))), h-70, false)
	}
	if p.X.Label.Text != "" {
		p.X.Label.Text = strings.Join(wrapText(p.X.Label.TextStyle, p.X.Label.Text, w-30), "\n")
	}
	if p.Y.Label.Text != "" {
		p.Y.Label.Text = strings.Join(wrapText(p.Y.Label.TextStyle, p.Y.Label.Text, max(h-40, 90)), "\n")
	}
}

// fitTicks returns t aiming at n ticks or fewer, so that the labels fit
// into length (side by side on a horizontal axis, stacked on a vertical).
func fitTicks(t niceTicks, ax plot.Axis, n int, length vg.Length, horizontal bool) niceTicks {
	if !(ax.Max > ax.Min) || math.IsInf(ax.Min, 0) || math.IsInf(ax.Max, 0) {
		t.n = n
		return t
	}
	for ; n >= 2; n-- { // at least two labels, so that the axis has a scale
		t.n = n
		var need vg.Length
		for _, tk := range t.Ticks(ax.Min, ax.Max) {
			if tk.Label == "" {
				continue
			}
			if horizontal {
				need += ax.Tick.Label.Width(tk.Label) + 10
			} else {
				need += ax.Tick.Label.Height(tk.Label) + 6
			}
		}
		if need <= length {
			break
		}
	}
	return t
}

// wrapText breaks s into lines no wider than width.
func wrapText(sty text.Style, s string, width vg.Length) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return nil
	}
	var lines []string
	cur := words[0]
	for _, w := range words[1:] {
		if sty.Width(cur+" "+w) > width {
			lines = append(lines, cur)
			cur = w
			continue
		}
		cur += " " + w
	}
	return append(lines, cur)
}

const (
	thumbWidth = 26
	thumbGap   = 8
)

func legendStyle() text.Style { return legendStyleSize(sizeLegend) }

func legendStyleSize(size float64) text.Style {
	s := textStyle(sansRegular, size, black)
	s.XAlign, s.YAlign = draw.XLeft, draw.YCenter
	return s
}

func legendWidth(entries []legendEntry) vg.Length { return legendWidthSize(entries, sizeLegend) }

func legendWidthSize(entries []legendEntry, size float64) vg.Length {
	s := legendStyleSize(size)
	var w vg.Length
	for _, e := range entries {
		if x := s.Width(e.label); x > w {
			w = x
		}
	}
	return w + thumbWidth + thumbGap
}

func legendRowHeight() vg.Length { return legendRowHeightSize(sizeLegend) }

func legendRowHeightSize(size float64) vg.Length {
	return legendStyleSize(size).FontExtents().Height * 1.35
}

// drawLegendColumn draws entries top-down from the top-left of c.
func drawLegendColumn(c draw.Canvas, entries []legendEntry) {
	s := legendStyle()
	rh := legendRowHeight()
	th := s.FontExtents().Height * 0.8
	y := c.Max.Y - rh/2
	for _, e := range entries {
		drawLegendEntry(c, s, e, c.Min.X, y, th)
		y -= rh
	}
}

// Per-panel legends are secondary: smaller text, several columns if they
// fit.
const sizePanelLegend = sizeNote

// legendGridLayout returns the number of columns that fit entries into
// width, and the column width.
func legendGridLayout(entries []legendEntry, width vg.Length) (cols int, colW vg.Length) {
	colW = legendWidthSize(entries, sizePanelLegend) + 12
	cols = max(1, int(width/colW))
	return min(cols, len(entries)), colW
}

func legendGridHeight(entries []legendEntry, width vg.Length) vg.Length {
	if len(entries) == 0 {
		return 0
	}
	cols, _ := legendGridLayout(entries, width)
	rows := (len(entries) + cols - 1) / cols
	return vg.Length(rows) * legendRowHeightSize(sizePanelLegend)
}

// drawLegendGrid draws entries in as many columns as fit, filled column
// by column, from the top-left of c.
func drawLegendGrid(c draw.Canvas, entries []legendEntry) {
	cols, colW := legendGridLayout(entries, c.Max.X-c.Min.X)
	rows := (len(entries) + cols - 1) / cols
	s := legendStyleSize(sizePanelLegend)
	rh := legendRowHeightSize(sizePanelLegend)
	th := s.FontExtents().Height * 0.8
	room := min(colW, c.Max.X-c.Min.X) - thumbWidth - thumbGap - 12
	for i, e := range entries {
		col, row := i/rows, i%rows
		for s.Width(e.label) > room && len([]rune(e.label)) > 4 {
			rs := []rune(strings.TrimSuffix(e.label, "…"))
			e.label = string(rs[:len(rs)-2]) + "…"
		}
		drawLegendEntry(c, s, e, c.Min.X+vg.Length(col)*colW, c.Max.Y-rh/2-vg.Length(row)*rh, th)
	}
}

// drawLegendRows draws entries left to right from the bottom-left of c,
// wrapping to more rows when needed, centred; it returns the height used.
func drawLegendRows(c draw.Canvas, entries []legendEntry) vg.Length {
	s := legendStyle()
	rh := legendRowHeight()
	th := s.FontExtents().Height * 0.8
	width := c.Max.X - c.Min.X
	var rows [][]legendEntry
	var widths []vg.Length
	var cur []legendEntry
	var cw vg.Length
	for _, e := range entries {
		ew := thumbWidth + thumbGap + s.Width(e.label) + 24
		if len(cur) > 0 && cw+ew > width {
			rows, widths = append(rows, cur), append(widths, cw)
			cur, cw = nil, 0
		}
		cur = append(cur, e)
		cw += ew
	}
	rows, widths = append(rows, cur), append(widths, cw)
	y := c.Min.Y + vg.Length(len(rows))*rh - rh/2
	for i, row := range rows {
		x := c.Min.X + (width-widths[i])/2
		for _, e := range row {
			drawLegendEntry(c, s, e, x, y, th)
			x += thumbWidth + thumbGap + s.Width(e.label) + 24
		}
		y -= rh
	}
	return vg.Length(len(rows)) * rh
}

func drawLegendEntry(c draw.Canvas, s text.Style, e legendEntry, x, y, th vg.Length) {
	icon := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: x, Y: y - th/2},
		Max: vg.Point{X: x + thumbWidth, Y: y + th/2},
	}}
	for _, t := range e.thumbs {
		t.Thumbnail(&icon)
	}
	c.FillText(s, vg.Point{X: x + thumbWidth + thumbGap, Y: y}, e.label)
}

// pdfDate is the creation and modification date written into every PDF:
// fixed, so that identical results give byte-identical charts
// (docs/outputs.md). fpdf stamps the time of writing otherwise, and lists
// fonts in map order unless told to sort them.
var pdfDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func init() {
	fpdf.SetDefaultCreationDate(pdfDate)
	fpdf.SetDefaultModificationDate(pdfDate)
	fpdf.SetDefaultCatalogSort(true) // fonts and images in a fixed order, not map order
}

// pdfCanvas works around vgpdf registering every font with an empty style
// but selecting bold and italic faces with style "B"/"I" (an "undefined
// font" panic): it hands such faces over as regular faces of a distinct
// typeface name, which keeps their glyphs.
type pdfCanvas struct{ *vgpdf.Canvas }

// FillString implements vg.Canvas.
func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Weight != xfont.WeightNormal || f.Font.Style != xfont.StyleNormal {
		name := f.Font.Name()
		f.Font.Typeface = font.Typeface(name + "-as-regular")
		f.Font.Variant = ""
		f.Font.Weight = xfont.WeightNormal
		f.Font.Style = xfont.StyleNormal
	}
	c.Canvas.FillString(f, pt, s)
}
