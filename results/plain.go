package results

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// MaxDocumentSize bounds the JSON and TOML documents of a results
// directory that ReadPlain reads (summary.json of a 4,000-point sweep is
// tens of MB).
const MaxDocumentSize = 1 << 30

// OpenPlain opens the file at path for reading, and refuses anything but a
// regular file: a FIFO planted in a results directory would block the
// reader forever, a device (a symlink to /dev/zero or /dev/urandom) would
// never end. It opens without blocking, then checks what it opened.
func OpenPlain(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: not a regular file (%v): a results directory holds plain files; remove it", path, st.Mode().Type())
	}
	return f, nil
}

// ReadPlain reads the regular file at path (see OpenPlain), of at most
// limit bytes.
func ReadPlain(path string, limit int64) ([]byte, error) {
	f, err := OpenPlain(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes: not a file smbsim wrote", path, limit)
	}
	return b, nil
}
