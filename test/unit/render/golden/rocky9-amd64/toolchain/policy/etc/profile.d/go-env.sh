# Go environment for login shells, written by bake. The image config (for processes started
# without a login shell) and /usr/local/go/go.env (read by `go env`) carry the same values;
# change them in the recipe, not here.
export GOROOT=/usr/local/go
export PATH=/usr/local/go/bin:/home/gobuild/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export GOPATH=/home/gobuild/go
export GOBIN=/home/gobuild/go/bin
export GOCACHE=/home/gobuild/.cache/go-build
export GOMODCACHE=/home/gobuild/go/pkg/mod
export GOPROXY=https://proxy.golang.org,direct
export GOSUMDB=sum.golang.org
export GOPRIVATE=''
export GONOPROXY=''
export GONOSUMDB=''
export GOFLAGS='-mod=readonly -trimpath'
export GO111MODULE=on
export GOTOOLCHAIN=local
export CGO_ENABLED=0
