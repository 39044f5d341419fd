package load

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrTooLarge is returned (wrapped) for a file or response larger than
// MaxInputSize.
var ErrTooLarge = fmt.Errorf("file too large (the limit is %d MiB)", MaxInputSize>>20)

// ReadFile reads a spec or a referenced file, refusing anything that is not
// a regular file: a FIFO would block forever, /dev/zero (directly or
// through a symbolic link) never ends, a directory has no content. The file
// is checked before it is opened (opening a FIFO blocks until a writer
// comes) and again on the open descriptor (the path may have been replaced
// in between; the open itself does not block, see openFlags), and never
// more than MaxInputSize bytes are read, whatever size it claims.
func ReadFile(path string) ([]byte, error) {
	f, fi, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Size() > MaxInputSize {
		return nil, ErrTooLarge
	}
	return readLimited(f)
}

// OpenRegular opens path for reading if it is a regular file (following
// symbolic links), without blocking on anything else, and returns the
// descriptor's FileInfo.
func OpenRegular(path string) (*os.File, fs.FileInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if err := regular(fi); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, err
	}
	if fi, err = f.Stat(); err == nil {
		err = regular(fi)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// readLimited reads r to its end, or fails with ErrTooLarge after
// MaxInputSize bytes.
func readLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInputSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxInputSize {
		return nil, ErrTooLarge
	}
	return data, nil
}

// ErrNotRegular is returned (wrapped) for a FIFO, device, socket or
// directory where a file is expected.
var ErrNotRegular = errors.New("not a regular file")

func regular(fi fs.FileInfo) error {
	m := fi.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return fmt.Errorf("is a directory, %w", ErrNotRegular)
	case m&fs.ModeNamedPipe != 0:
		return fmt.Errorf("is a named pipe (FIFO), %w", ErrNotRegular)
	case m&fs.ModeSocket != 0:
		return fmt.Errorf("is a socket, %w", ErrNotRegular)
	case m&fs.ModeDevice != 0:
		return fmt.Errorf("is a device, %w", ErrNotRegular)
	}
	return ErrNotRegular
}
