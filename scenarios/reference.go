package scenarios

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/smbsim/smbsim/sim"
)

// keyDoc documents one key of a scenario file.
type keyDoc struct {
	path    string // e.g. "market.base_margin"; shocks.* and variants.* name entry keys
	allowed string // allowed values
	meaning string
}

// sectionDocs introduces each table of the reference, in file order; keyDocs
// documents each key. Both come from the declarations (see [node]): the
// default is read from the defaults, so the docs cannot drift from them.
var sectionDocs, keyDocs = func() (secs []struct{ path, intro string }, keys []keyDoc) {
	schema.walk(func(n *node) {
		if n.isTable() {
			secs = append(secs, struct{ path, intro string }{n.path, n.doc})
		} else {
			keys = append(keys, keyDoc{n.path, n.field.Allowed(), n.field.Doc})
		}
	})
	return secs, keys
}()

// docOf returns the documentation of a key path (array indices removed).
func docOf(path string) (keyDoc, bool) {
	path = stripIndex(path)
	for _, k := range keyDocs {
		if k.path == path {
			return k, true
		}
	}
	return keyDoc{}, false
}

// defaultText returns the default of a documented key as TOML: the
// default tag if it has one ("required"), else its value in the defaults
// (for an array of tables, in a default entry).
func defaultText(path string) string {
	n := find(path)
	if n == nil {
		return ""
	}
	if n.field.Default != "" {
		return n.field.Default
	}
	d := defaults()
	d.Shocks = []sim.Shock{sim.DefaultShock()}
	d.dims["shocks[1].dimension"] = ""
	t := d.toTable()
	t.set("sweep", d.valueOf(schema.child("sweep"), reflect.ValueOf(d).Elem(), "sweep"))
	v, ok := lookup(t, path)
	if !ok {
		return ""
	}
	return tomlValue(v)
}

// lookup finds a dotted path in t.
func lookup(t table, path string) (any, bool) {
	first, rest, more := strings.Cut(path, ".")
	v, ok := t.get(first)
	if l, isList := v.([]table); isList && len(l) > 0 {
		v = l[0] // an array of tables: its first entry
	}
	if !ok || !more {
		return v, ok
	}
	sub, ok := v.(table)
	if !ok {
		return nil, false
	}
	return lookup(sub, rest)
}

// referenceMarkdown renders docs/scenarios.md.
func referenceMarkdown() string {
	var b strings.Builder
	b.WriteString(`# Scenario reference

<!-- Generated from the parameter declarations (the tagged fields of sim.Config and of the scenarios package) by ` + "`go test ./scenarios -update`" + `; do not edit. -->

A scenario is one TOML file. Every key has a default, so a file states only
what differs from the defaults below; ` + "`smbsim init [NAME]`" + ` writes a starter
file listing every key. Unknown keys, wrong types and values out of range
are errors, reported together with their line. Any key can be overridden
on the command line with ` + "`--set key=value`" + ` (e.g. ` + "`--set market.base_margin=0.3`" + `,
` + "`--set network.kind=ring`" + `, ` + "`--set shocks[1].tick=200`" + `, ` + "`--set shocks=[]`" + `).
A file is UTF-8 text (a leading byte-order mark is ignored) of at most
` + fmt.Sprint(MaxFileSize>>20) + ` MiB, with at most ` + fmt.Sprint(maxKeys) + ` keys and ` + fmt.Sprint(maxValues) + ` values, nested at most
` + fmt.Sprint(maxDepth) + ` levels deep (table header, dotted key, arrays and inline tables
together): limits far beyond what a scenario needs, which keep the time
and memory taken by reading any file small.

For example, this file is the baseline with mostly imitators, a denser
network and a downturn instead of the demand shift:

`)
	b.WriteString("```toml\n" + exampleFile + "```\n")
	b.WriteString(`
Problems are reported all at once, each as ` + "`file:line:column: key: message`" + `
(the file's problems, then those of ` + "`--set`" + ` overrides):

`)
	b.WriteString("```\n" + exampleErrors() + "\n```\n")
	b.WriteString(`
Built-in scenarios (` + "`smbsim init NAME`" + ` copies one, listing every other key):

| Name | Shows |
|---|---|
`)
	for _, in := range Builtins() {
		fmt.Fprintf(&b, "| `%s` | %s |\n", in.Name, mdEscape(in.Purpose))
	}
	for _, sec := range sectionDocs {
		header := "[" + sec.path + "]"
		switch sec.path {
		case "shocks", "variants":
			header = "[[" + sec.path + "]]"
		}
		fmt.Fprintf(&b, "\n## `%s`\n\n%s\n\n| Key | Default | Allowed | Meaning |\n|---|---|---|---|\n", header, sec.intro)
		for _, k := range keyDocs {
			if parentPath(k.path) != sec.path {
				continue
			}
			def := defaultText(k.path)
			if def != "required" && def != "file name" {
				def = "`" + def + "`"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", k.path[len(sec.path)+1:], mdEscape(def), mdEscape(k.allowed), mdEscape(k.meaning))
		}
	}
	return b.String()
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// exampleFile is the example scenario of the reference.
const exampleFile = `# mostly-imitators.toml: the name defaults to the file name
[population.mix]
imitator = 0.7
innovator = 0.1
specialist = 0.1
adaptive = 0.1

[network]
degree = 12

[[shocks]]
kind = "downturn"
tick = 300
duration = 100
severity = 0.4
`

// exampleErrors returns the real messages for a broken copy of
// exampleFile and a bad --set, so the reference shows what users see.
func exampleErrors() string {
	bad := strings.NewReplacer("imitator = 0.7", "imitator = 7", "degree = 12", "degre = 12").Replace(exampleFile)
	_, err := Parse("mostly-imitators.toml", []byte(bad))
	msgs := []string{}
	if err != nil {
		msgs = append(msgs, err.Error())
	}
	if err := Default().Set("market.base_margin=2"); err != nil {
		msgs = append(msgs, err.Error())
	}
	return strings.Join(msgs, "\n")
}
