package scenarios

import (
	"bytes"
	"fmt"
	"strings"
)

// Starter returns a commented starter file for `smbsim init [NAME]` ("" =
// the baseline): the built-in's text, table by table, with every key it
// does not set listed under its table, commented out, with its default,
// meaning and allowed values. Uncommenting a key line gives a valid file.
func Starter(name string) ([]byte, error) {
	if name == "" {
		name = "baseline"
	}
	src, err := BuiltinSource(name)
	if err != nil {
		return nil, err
	}
	s, err := Parse(builtinPath(name), src)
	if err != nil {
		return nil, fmt.Errorf("built-in %s: %w", name, err)
	}
	pre, blocks := splitBlocks(string(src))

	var b bytes.Buffer
	b.WriteString(strings.TrimRight(pre, "\n") + "\n")
	b.WriteString(`#
# Starter file: every key the scenario above does not set is listed under
# its table, commented out, with its default. Remove the "# " in front of a
# key to change it. Reference: docs/scenarios.md.
`)
	set := s.pos.has
	for _, sec := range sectionDocs {
		bs := blocks[sec.path]
		switch sec.path {
		case "shocks", "variants":
			for _, blk := range bs {
				b.WriteString("\n" + blk)
			}
			b.WriteString("\n" + example(sec.path, s))
			continue
		case "sweep":
			if len(bs) == 0 {
				b.WriteString("\n" + example(sec.path, s))
				continue
			}
		}
		if len(bs) == 0 && set(sec.path) {
			continue // written as a dotted key or inline table elsewhere
		}
		if len(bs) == 0 {
			b.WriteString("\n")
			wrapComment(&b, "", plain(sec.intro))
			b.WriteString("[" + sec.path + "]\n")
		}
		for _, blk := range bs {
			b.WriteString("\n" + blk)
		}
		for _, k := range keyDocs {
			if parentPath(k.path) == sec.path && !set(k.path) {
				b.WriteString("\n")
				writeKeyDoc(&b, "", k, exampleValue(k.path, s))
			}
		}
	}
	return b.Bytes(), nil
}

// writeKeyDoc writes a key's meaning and allowed values as a comment, then
// the key, commented out, with value. prefix precedes the key.
func writeKeyDoc(b *bytes.Buffer, prefix string, k keyDoc, value string) {
	wrapComment(b, "", plain(k.meaning))
	b.WriteString("# " + prefix + k.path[strings.LastIndexByte(k.path, '.')+1:] + " = " + value + " # " + plain(k.allowed) + "\n")
}

// exampleValue is the value shown for a commented-out key: its default,
// or an example where there is none.
func exampleValue(path string, s *Scenario) string {
	if path == "shocks.tick" {
		return fmt.Sprint(max(1, s.Simulation.Ticks/2))
	}
	if n := find(path); n != nil && n.field.Example != "" {
		return n.field.Example
	}
	return defaultText(path)
}

// example writes a commented-out example entry of an array of tables
// (shocks, variants) or of the sweep table.
func example(sec string, s *Scenario) string {
	var b bytes.Buffer
	switch sec {
	case "shocks":
		b.WriteString("# Another shock: remove the \"# \" in front of [[shocks]] and of the\n# keys you need (kind and tick at least).\n# [[shocks]]\n")
	case "variants":
		b.WriteString("# Variants: the whole scenario with some keys changed, run side by side by\n# `smbsim compare`. Remove the \"# \" in front of [[variants]] and the keys.\n# [[variants]]\n")
	case "sweep":
		b.WriteString("# A sweep: parameters varied over runs (smbsim sweep). Remove the \"# \"\n# in front of [sweep] and the keys.\n# [sweep]\n")
	}
	for _, k := range keyDocs {
		if parentPath(k.path) == sec {
			writeKeyDoc(&b, "", k, exampleValue(k.path, s))
		}
	}
	if sec == "variants" {
		b.WriteString("# Then any keys to change, e.g.:\n# biases.herding = 0.5\n")
	}
	return b.String()
}

// plain strips Markdown code marks.
func plain(s string) string { return strings.ReplaceAll(s, "`", "") }

// wrapComment writes text as "# " comment lines of at most 78 columns.
func wrapComment(b *bytes.Buffer, indent, text string) {
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > 76-len(indent) {
			b.WriteString(indent + "# " + line + "\n")
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		b.WriteString(indent + "# " + line + "\n")
	}
}

// splitBlocks splits a built-in's text into its preamble and one block per
// table header (with the comment lines right above the header), keyed by
// table path; [[x]] blocks are listed in order, and [variants.…] headers
// stay in their variant's block.
func splitBlocks(src string) (string, map[string][]string) {
	blocks := map[string][]string{}
	var pre strings.Builder
	cur := &pre
	var curKey string
	var pending []string // comment lines since the last blank line
	flush := func() {
		for _, l := range pending {
			cur.WriteString(l)
		}
		pending = nil
	}
	var bufs []*strings.Builder
	var keys []string
	for line := range strings.Lines(src) {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
			cur.WriteString(line)
		case strings.HasPrefix(t, "#"):
			pending = append(pending, line)
		case strings.HasPrefix(t, "["):
			key := strings.Trim(strings.SplitN(t, "]", 2)[0], "[ ")
			if curKey == "variants" && strings.HasPrefix(key, "variants.") {
				flush()
				cur.WriteString(line)
				continue
			}
			nb := &strings.Builder{}
			for _, l := range pending {
				nb.WriteString(l)
			}
			pending = nil
			nb.WriteString(line)
			cur, curKey = nb, key
			bufs, keys = append(bufs, nb), append(keys, key)
		default:
			flush()
			cur.WriteString(line)
		}
	}
	flush()
	for i, k := range keys {
		blocks[k] = append(blocks[k], strings.TrimRight(bufs[i].String(), "\n")+"\n")
	}
	return pre.String(), blocks
}
