package templates

import (
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"strings"
)

// FormFile is a file part of a multipart/form-data request body. Content is
// streamed while the request is sent, never buffered whole; the client reads
// it to the end but does not close it (the caller owns it).
type FormFile struct {
	// Filename is sent in the part's Content-Disposition; servers often
	// require one. Without it the part is a plain form field, which is how
	// a field that is either a file or text (a URL) carries the text.
	Filename string
	// ContentType is the part's Content-Type; empty sends the type the spec
	// declares for the field, else application/octet-stream (nothing for a
	// part without Filename).
	ContentType string
	// Content is the file's data.
	Content io.Reader
}

// formPart is one part of a multipart body, in the order the generated
// method adds them.
type formPart struct {
	name        string
	contentType string // "" for a plain text field
	text        []byte
	file        *FormFile
}

// startMultipart makes the request body a multipart/form-data form, even
// when no part ends up being added.
func (r *request) startMultipart() {
	r.multipart = true
}

// formField adds a text part per scalar, or one per element of a list of
// scalars; nil values are not sent.
func (r *request) formField(name string, v any) {
	if isNil(v) {
		return
	}
	if items, ok := listItems(v); ok {
		for _, it := range items {
			r.parts = append(r.parts, formPart{name: name, text: []byte(it)})
		}
		return
	}
	r.parts = append(r.parts, formPart{name: name, text: []byte(formatParam(v))})
}

// formJSON adds an application/json part holding v; nil values are not sent.
func (r *request) formJSON(name string, v any) {
	if isNil(v) {
		return
	}
	data, err := json.Marshal(v)
	if err != nil {
		r.fail(fmt.Errorf("encode form field %q: %w", name, err))
		return
	}
	r.parts = append(r.parts, formPart{name: name, contentType: "application/json", text: data})
}

// formFile adds a file part; a nil file is not sent unless required.
func (r *request) formFile(name string, f *FormFile, defaultType string, required bool) {
	if f == nil {
		if required {
			r.fail(fmt.Errorf("form file %q is required", name))
		}
		return
	}
	if f.Content == nil {
		r.fail(fmt.Errorf("form file %q has no Content", name))
		return
	}
	ct := f.ContentType
	if ct == "" && f.Filename != "" {
		ct = defaultType
	}
	r.parts = append(r.parts, formPart{name: name, contentType: ct, file: f})
}

// formFiles adds one file part per element of files.
func (r *request) formFiles(name string, files []FormFile, defaultType string) {
	for i := range files {
		r.formFile(name, &files[i], defaultType, false)
	}
}

// writeMultipart writes the parts and the closing boundary to mw.
func writeMultipart(mw *multipart.Writer, parts []formPart) error {
	for _, p := range parts {
		h := make(textproto.MIMEHeader)
		disp := `form-data; name="` + dispositionEscaper.Replace(p.name) + `"`
		if p.file != nil && p.file.Filename != "" {
			disp += `; filename="` + dispositionEscaper.Replace(p.file.Filename) + `"`
		}
		h.Set("Content-Disposition", disp)
		if p.contentType != "" {
			h.Set("Content-Type", p.contentType)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			return err
		}
		if p.file != nil {
			if _, err := io.Copy(w, p.file.Content); err != nil {
				return fmt.Errorf("form file %q: %w", p.name, err)
			}
			continue
		}
		if _, err := w.Write(p.text); err != nil {
			return err
		}
	}
	return mw.Close()
}

// multipartBody returns the streamed body of a multipart request and its
// Content-Type. A goroutine writes the parts into a pipe as the transport
// reads; closing the reader (the transport does, and so do newHTTPRequest on
// failure and exchange once the call is over) ends it.
func multipartBody(parts []formPart) (body *io.PipeReader, contentType string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		pw.CloseWithError(writeMultipart(mw, parts))
	}()
	return pr, mw.FormDataContentType()
}

// dispositionEscaper quotes a Content-Disposition parameter the way
// mime/multipart reads it back (backslash escapes), and encodes line breaks
// as HTML forms do, so a name cannot end the header.
var dispositionEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "%0D", "\n", "%0A")
