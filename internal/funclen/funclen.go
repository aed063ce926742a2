// Package funclen measures the length of smbsim's functions, so that a test
// keeps the long bodies few: a function's length is the number of lines from
// its func keyword to its closing brace, counted in non-test Go files.
package funclen

import (
	"cmp"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
)

// Func is one function declaration and its length in lines.
type Func struct {
	File  string // path relative to the root, slash-separated
	Name  string // "Recv.Name" for methods, "Name" for functions
	Line  int    // line of the func keyword
	Lines int    // lines from the func keyword to the closing brace
}

// Over returns the functions and methods of the non-test Go files under
// root (testdata, hidden and underscore directories skipped) longer than
// limit lines, longest first (then by file and line).
func Over(root string, limit int) ([]Func, error) {
	var out []Func
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			start, end := fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line
			if n := end - start + 1; n > limit {
				out = append(out, Func{File: filepath.ToSlash(rel), Name: funcName(fd), Line: start, Lines: n})
			}
		}
		return nil
	})
	slices.SortFunc(out, func(a, b Func) int {
		return cmp.Or(cmp.Compare(b.Lines, a.Lines), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return out, err
}

// funcName is "Name", or "Recv.Name" for a method (pointer and type
// parameters dropped).
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}
