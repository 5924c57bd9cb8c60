// Command bake-probe is bake's readiness probe. It is never part of an image: bake copies it
// into each throwaway check container, so the checks can run even in a runtime image that has
// no shell and no coreutils. Standard library only, built with CGO_ENABLED=0 so it is static.
//
//	bake-probe                 one JSON line: Go version and platform, the user it runs as, and
//	                           whether the system CA bundle and time zone database are usable
//	bake-probe sleep           block until killed (keeps a check container alive)
//	bake-probe writable DIR... "writable DIR" or "NOT WRITABLE DIR: reason", one line each,
//	                           proven by creating the directory and a file in it
//	bake-probe trusts DER...   "trusted SHA256" or "NOT TRUSTED SHA256: reason", one line per
//	                           certificate (base64 DER): whether x509.SystemCertPool holds it
//
// It exits 0 whenever it could print; the checks judge the values.
package main

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"
)

type report struct {
	Go            string `json:"go"`
	GOOS          string `json:"goos"`
	GOARCH        string `json:"goarch"`
	UID           int    `json:"uid"`
	GID           int    `json:"gid"`
	CertPool      bool   `json:"certPool"`
	CertPoolError string `json:"certPoolError,omitempty"`
	TimeZone      bool   `json:"timeZone"`
	TimeZoneError string `json:"timeZoneError,omitempty"`
}

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "sleep":
			// Not `select {}`: with no other goroutine the runtime calls that a deadlock.
			for {
				time.Sleep(time.Hour)
			}
		case "writable":
			writable(os.Args[2:])
			return
		case "trusts":
			trusts(os.Args[2:])
			return
		default:
			fmt.Fprintf(os.Stderr, "bake-probe: unknown mode %q (modes: sleep, writable, trusts)\n", os.Args[1])
			os.Exit(2)
		}
	}
	describe()
}

func describe() {
	r := report{Go: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, UID: os.Getuid(), GID: os.Getgid()}

	// The probe must not import time/tzdata or embed roots: it checks what the image provides.
	pool, err := x509.SystemCertPool()
	switch {
	case err != nil:
		r.CertPoolError = err.Error()
	case pool.Equal(x509.NewCertPool()):
		r.CertPoolError = "system certificate pool is empty"
	default:
		r.CertPool = true
	}

	if _, err := time.LoadLocation("Europe/Berlin"); err != nil {
		r.TimeZoneError = err.Error()
	} else {
		r.TimeZone = true
	}

	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		os.Exit(1)
	}
}

// Writability is proven by writing: permission bits alone miss read-only mounts and ACLs.
func writable(dirs []string) {
	for _, dir := range dirs {
		err := os.MkdirAll(dir, 0o755)
		if err == nil {
			var f *os.File
			if f, err = os.CreateTemp(dir, ".bake-probe-*"); err == nil {
				f.Close()
				err = os.Remove(f.Name())
			}
		}
		if err != nil {
			fmt.Printf("NOT WRITABLE %s: %v\n", dir, err)
		} else {
			fmt.Printf("writable %s\n", dir)
		}
	}
}

// A pool deduplicates what it holds, so adding a certificate it already has leaves it equal to
// the system pool as loaded: that is "Go loads it", whichever file or directory it came from.
func trusts(certs []string) {
	for _, encoded := range certs {
		der, err := base64.StdEncoding.DecodeString(encoded)
		sum := fmt.Sprintf("%x", sha256.Sum256(der))
		var cert *x509.Certificate
		if err == nil {
			cert, err = x509.ParseCertificate(der)
		}
		var loaded, with *x509.CertPool
		if err == nil {
			loaded, err = x509.SystemCertPool()
		}
		if err == nil {
			with, err = x509.SystemCertPool()
		}
		if err == nil {
			with.AddCert(cert)
			if !with.Equal(loaded) {
				err = errors.New("not in the system certificate pool")
			}
		}
		if err != nil {
			fmt.Printf("NOT TRUSTED %s: %v\n", sum, err)
		} else {
			fmt.Printf("trusted %s\n", sum)
		}
	}
}
