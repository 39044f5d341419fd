// Package txtar reads and writes the txtar archives the golden tests keep
// under generator/testdata: a free-form comment, then files, each
// introduced by a line "-- name --". It reads the same format as
// golang.org/x/tools/txtar and exists so that the module needs no
// dependency (and no newer Go release) for a test helper.
package txtar

import (
	"bytes"
	"os"
	"strings"
)

// Archive is a comment and a list of files.
type Archive struct {
	Comment []byte
	Files   []File
}

// File is one named file of an archive.
type File struct {
	Name string
	Data []byte
}

// ParseFile reads and parses the archive at path.
func ParseFile(path string) (*Archive, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data), nil
}

// Parse splits data into its comment and files. Every byte belongs to the
// comment or to a file; a file's data ends with a newline when non-empty.
func Parse(data []byte) *Archive {
	a := new(Archive)
	var cur *[]byte = &a.Comment
	for len(data) > 0 {
		line := data
		rest := []byte(nil)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, rest = data[:i+1], data[i+1:]
		}
		if name, ok := marker(line); ok {
			a.Files = append(a.Files, File{Name: name})
			cur = &a.Files[len(a.Files)-1].Data
		} else {
			*cur = append(*cur, line...)
		}
		data = rest
	}
	fixNL(&a.Comment)
	for i := range a.Files {
		fixNL(&a.Files[i].Data)
	}
	return a
}

// marker reports whether line is a file marker "-- name --" and its name.
func marker(line []byte) (string, bool) {
	s := strings.TrimRight(string(line), "\r\n")
	if !strings.HasPrefix(s, "-- ") || !strings.HasSuffix(s, " --") || len(s) < len("-- x --") {
		return "", false
	}
	name := strings.TrimSpace(s[3 : len(s)-3])
	return name, name != ""
}

func fixNL(b *[]byte) {
	if len(*b) > 0 && (*b)[len(*b)-1] != '\n' {
		*b = append(*b, '\n')
	}
}

// Format renders a as archive text; Parse(Format(a)) gives a back.
func Format(a *Archive) []byte {
	var b bytes.Buffer
	b.Write(a.Comment)
	if len(a.Comment) > 0 && a.Comment[len(a.Comment)-1] != '\n' {
		b.WriteByte('\n')
	}
	for _, f := range a.Files {
		b.WriteString("-- " + f.Name + " --\n")
		b.Write(f.Data)
		if len(f.Data) > 0 && f.Data[len(f.Data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}
