// Command bake-cache-times gives a Go build cache the same bytes on every builder: the time
// the go command writes into each action entry ("v1 ACTION OUTPUT SIZE TIME", the numbers
// padded to 20 columns) becomes 0, and trim.txt (when the cache was last trimmed) is removed.
// The go command reads an entry's time only to expire cached test results, so builds use the
// cache as before; BuildKit's cache keys of the steps that read it then match across engines,
// so a registry cache serves them. Standard library only; compiled for the build platform,
// because bake's builder stage has no shell.
//
//	bake-cache-times DIR
//
// An entry of another format is left as it is, with a warning: the cache still works, only
// builders stop sharing the steps that read it.
package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

var entry = regexp.MustCompile(`^v1 [0-9a-f]{64} [0-9a-f]{64} [ 0-9]{20} [ 0-9]{20}\n$`)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: bake-cache-times DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	if err := os.Remove(filepath.Join(dir, "trim.txt")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		fail(err)
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), "-a") {
			return err
		}
		return clearTime(path)
	})
	if err != nil {
		fail(err)
	}
}

func clearTime(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !entry.Match(data) {
		fmt.Fprintf(os.Stderr, "bake-cache-times: %s is not a cache entry bake knows; left as it is\n", path)
		return nil
	}
	cleared := fmt.Sprintf("%s%20d\n", data[:len(data)-21], 0)
	// WriteFile truncates the file in place: its mode stays the go command's.
	return os.WriteFile(path, []byte(cleared), 0o644)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "bake-cache-times: %v\n", err)
	os.Exit(1)
}
