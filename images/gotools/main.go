// Command bake-gotools builds a recipe's module tools in bake's builder stage, which has no
// shell: it runs the go command's own steps in order and checks what the proxy served before
// anything of it is compiled. Standard library only; compiled for the build platform.
//
//	bake-gotools build NAME MODULE VERSION PACKAGE SUM OUT
//	    1. go mod download MODULE@VERSION through GOPROXY (GOSUMDB checks public modules)
//	    2. SUM (an h1: hash, "-" for none): the module zip must hash to it (dirhash Hash1),
//	       and the proxy's .mod file must be the go.mod inside the zip
//	    3. go list -deps of PACKAGE inside the module: every dependency is downloaded and
//	       checked against the module's own go.sum, as when it is the main module
//	    4. go install PACKAGE@VERSION (version stamped in the binary), copied to OUT
//	bake-gotools goauth FILE [URL]
//	    prints FILE (a GOAUTH credential file, mounted as a BuildKit secret) when it exists:
//	    the command GOAUTH runs, so a header credential reaches only the go command
//
// Lines starting with "bake-gotools: " say what failed; bake reads them.
package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fail(2, "usage: bake-gotools build NAME MODULE VERSION PACKAGE SUM OUT | goauth FILE [URL]")
	}
	switch os.Args[1] {
	case "build":
		if len(os.Args) != 8 {
			fail(2, "usage: bake-gotools build NAME MODULE VERSION PACKAGE SUM OUT")
		}
		build(os.Args[2], os.Args[3], os.Args[4], os.Args[5], os.Args[6], os.Args[7])
	case "goauth":
		if len(os.Args) < 3 {
			fail(2, "usage: bake-gotools goauth FILE [URL]")
		}
		goauth(os.Args[2])
	default:
		fail(2, fmt.Sprintf("unknown mode %q (modes: build, goauth)", os.Args[1]))
	}
}

// fail prints one line (the go command's multi-line reasons joined) and exits.
func fail(code int, message string) {
	message = strings.Join(strings.Fields(message), " ")
	if len(message) > 600 {
		message = message[:600] + "..."
	}
	fmt.Fprintf(os.Stderr, "bake-gotools: %s\n", message)
	os.Exit(code)
}

// download is what `go mod download -json` prints for one module.
type download struct {
	Path, Version, Error, Info, GoMod, Zip, Dir, Sum, GoModSum string
}

func build(name, module, version, pkg, sum, out string) {
	if proxy := os.Getenv("GOPROXY"); !strings.HasPrefix(proxy, "https://") {
		fail(2, fmt.Sprintf("GOPROXY %q is not one https URL", proxy))
	}
	ref := module + "@" + version

	var d download
	stdout, err := goCommand(nil, "mod", "download", "-json", "--", ref)
	if jsonErr := json.Unmarshal(stdout, &d); jsonErr != nil && err == nil {
		err = jsonErr
	}
	if d.Error != "" || err != nil {
		reason := d.Error
		if reason == "" {
			reason = err.Error()
		}
		fail(10, fmt.Sprintf("download failed: %s: %s", ref, reason))
	}

	if sum != "-" {
		got, err := hashZip(d.Zip)
		if err != nil {
			fail(11, fmt.Sprintf("cannot hash %s: %v", ref, err))
		}
		if got != sum {
			fail(11, fmt.Sprintf("checksum mismatch: %s: the recipe pins %s, the proxy served %s", ref, sum, got))
		}
		if err := sameGoMod(d.Zip, d.GoMod, ref); err != nil {
			fail(11, fmt.Sprintf("checksum mismatch: %s: %v", ref, err))
		}
		fmt.Printf("verified %s %s (pinned in the recipe)\n", ref, sum)
	} else {
		fmt.Printf("verified %s %s (GOSUMDB=%s)\n", ref, d.Sum, os.Getenv("GOSUMDB"))
	}

	rel := "."
	if pkg != module {
		rel = "./" + strings.TrimPrefix(pkg, module+"/")
	}
	listed, err := goCommand(nil, "list", "-C", d.Dir, "-deps", "-f", "{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}}{{end}}{{end}}", "--", rel)
	if err != nil {
		fail(12, fmt.Sprintf("dependencies of %s do not verify against its go.sum: %v", ref, err))
	}
	deps := map[string]bool{}
	for _, line := range strings.Fields(string(listed)) {
		deps[line] = true
	}
	fmt.Printf("verified %d dependency module(s) of %s against its go.sum\n", len(deps), ref)

	gopath, err := os.MkdirTemp("", "bake-gotools-")
	if err != nil {
		fail(13, err.Error())
	}
	env := []string{"GOPATH=" + gopath, "GOBIN="}
	if _, err := goCommand(env, "install", "-trimpath", "-ldflags=-s -w", "--", pkg+"@"+version); err != nil {
		fail(13, fmt.Sprintf("go install %s@%s: %v", pkg, version, err))
	}
	exe := execName(pkg)
	goos, goarch := os.Getenv("GOOS"), os.Getenv("GOARCH")
	candidates := []string{filepath.Join(gopath, "bin", exe), filepath.Join(gopath, "bin", goos+"_"+goarch, exe)}
	for _, built := range candidates {
		if _, err := os.Stat(built); err == nil {
			if err := copyFile(built, out); err != nil {
				fail(13, fmt.Sprintf("install %s: %v", out, err))
			}
			fmt.Printf("installed %s: %s@%s for %s/%s\n", out, pkg, version, goos, goarch)
			os.RemoveAll(gopath)
			return
		}
	}
	fail(13, fmt.Sprintf("go install %s@%s left no binary at %s", pkg, version, strings.Join(candidates, " or ")))
}

// goCommand runs the go command (GOROOT's, else bake's /usr/local/go) with extra environment, stderr passed through, and
// returns its stdout.
func goCommand(env []string, args ...string) ([]byte, error) {
	goBin := "/usr/local/go/bin/go"
	if goroot := os.Getenv("GOROOT"); goroot != "" {
		goBin = filepath.Join(goroot, "bin", "go")
	}
	cmd := exec.Command(goBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = os.Stderr
	fmt.Printf("go %s\n", strings.Join(args, " "))
	err := cmd.Run()
	return stdout.Bytes(), err
}

// hashZip is golang.org/x/mod/sumdb/dirhash.HashZip with Hash1: the go.sum hash of a module.
func hashZip(file string) (string, error) {
	z, err := zip.OpenReader(file)
	if err != nil {
		return "", err
	}
	defer z.Close()
	files := make([]*zip.File, len(z.File))
	copy(files, z.File)
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	summary := sha256.New()
	for _, f := range files {
		if strings.Contains(f.Name, "\n") {
			return "", errors.New("a file name with a line break")
		}
		r, err := f.Open()
		if err != nil {
			return "", err
		}
		h := sha256.New()
		_, err = io.Copy(h, r)
		r.Close()
		if err != nil {
			return "", err
		}
		fmt.Fprintf(summary, "%x  %s\n", h.Sum(nil), f.Name)
	}
	return "h1:" + base64.StdEncoding.EncodeToString(summary.Sum(nil)), nil
}

// sameGoMod: `go install` reads the proxy's .mod file, the pin covers the zip; they must agree.
func sameGoMod(zipFile, modFile, ref string) error {
	z, err := zip.OpenReader(zipFile)
	if err != nil {
		return err
	}
	defer z.Close()
	served, err := os.ReadFile(modFile)
	if err != nil {
		return err
	}
	for _, f := range z.File {
		if f.Name != ref+"/go.mod" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return err
		}
		inZip, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return err
		}
		if !bytes.Equal(inZip, served) {
			return errors.New("the proxy's .mod file is not the go.mod inside the module zip")
		}
		return nil
	}
	return errors.New("the module zip has no go.mod")
}

// execName is the go command's name for the binary of a package: its last path element, or the
// one before a major version suffix (example.com/tool/v2 builds "tool").
func execName(pkg string) string {
	elem := path.Base(pkg)
	if elem != pkg && isVersionElement(elem) {
		elem = path.Base(path.Dir(pkg))
	}
	return elem
}

func isVersionElement(s string) bool {
	if len(s) < 2 || s[0] != 'v' || s[1] == '0' || s[1] == '1' && len(s) == 2 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || '9' < s[i] {
			return false
		}
	}
	return true
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o755)
}

// goauth prints the credential file for GOAUTH's command protocol; no file, no credential.
func goauth(file string) {
	data, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		fail(1, err.Error())
	}
	os.Stdout.Write(data)
}
