//go:build !unix

package load

// openFlags adds nothing where O_NONBLOCK does not exist; the check before
// opening still refuses what is not a regular file.
const openFlags = 0
