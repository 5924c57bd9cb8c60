// Command bake-probe reports, as one JSON line, what the readiness checks need to know about
// the image it runs in: Go version and platform, the user it runs as, and whether the system
// CA bundle and time zone database are usable. It always exits 0 when it could print; the
// checks judge the values. Standard library only, built with CGO_ENABLED=0 so it is static.
package main

import (
	"crypto/x509"
	"encoding/json"
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
