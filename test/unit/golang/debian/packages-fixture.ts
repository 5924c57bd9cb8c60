export const sha = (c: string) => c.repeat(64);

// As `apt-cache show` prints them (several suites, several architectures), abridged.
export const SHOW = `Package: golang-1.22-go
Source: golang-1.22
Version: 1.22.12-3~bpo12+1
Installed-Size: 97929
Architecture: arm64
Depends: golang-1.22-src (>= 1.22.12-3~bpo12+1)
Description: Go programming language compiler, linker, compiled stdlib
 This package provides an assembler, compiler, linker, and compiled libraries
 for the Go programming language.
Filename: pool/main/g/golang-1.22/golang-1.22-go_1.22.12-3~bpo12+1_arm64.deb
Size: 21340556
SHA256: ${sha('a')}

Package: golang-1.22-go
Source: golang-1.22
Version: 1.22.12-2~bpo12+1
Architecture: arm64
Filename: pool/main/g/golang-1.22/golang-1.22-go_1.22.12-2~bpo12+1_arm64.deb
Size: 21340000
SHA256: ${sha('b')}

Package: golang-1.22-go
Source: golang-1.22
Version: 1.22.12-3~bpo12+1
Architecture: amd64
Filename: pool/main/g/golang-1.22/golang-1.22-go_1.22.12-3~bpo12+1_amd64.deb
Size: 24752476
SHA256: ${sha('c')}

Package: golang-1.22-src
Source: golang-1.22
Version: 1.22.12-3~bpo12+1
Architecture: all
Filename: pool/main/g/golang-1.22/golang-1.22-src_1.22.12-3~bpo12+1_all.deb
Size: 18851420
SHA256: ${sha('d')}

Package: golang-1.22-src
Source: golang-1.22
Version: 1.22.12-2~bpo12+1
Architecture: all
Filename: pool/main/g/golang-1.22/golang-1.22-src_1.22.12-2~bpo12+1_all.deb
Size: 18851000
SHA256: ${sha('e')}

Package: golang-1.23-go
Source: golang-1.23 (1.23.5-1~bpo12+1)
Version: 1.23.5-1~bpo12+1+b1
Architecture: arm64
Filename: pool/main/g/golang-1.23/golang-1.23-go_1.23.5-1~bpo12+1+b1_arm64.deb
Size: 23400000
SHA256: ${sha('f')}

Package: golang-1.23-go
Source: golang-1.23
Version: 1.23.4-1~bpo12+1
Architecture: arm64
Filename: pool/main/g/golang-1.23/golang-1.23-go_1.23.4-1~bpo12+1_arm64.deb
Size: 23300000
SHA256: ${sha('3')}

Package: golang-1.23-src
Source: golang-1.23
Version: 1.23.5-1~bpo12+1
Architecture: all
Filename: pool/main/g/golang-1.23/golang-1.23-src_1.23.5-1~bpo12+1_all.deb
Size: 19000000
SHA256: ${sha('4')}

Package: golang-1.24-go
Version: 1.24.4-1
Architecture: arm64
Filename: pool/main/g/golang-1.24/golang-1.24-go_1.24.4-1_arm64.deb
Size: 28672232
SHA256: ${sha('1')}

Package: golang-1.24-src
Version: 1.24.4-1
Architecture: all
Filename: pool/main/g/golang-1.24/golang-1.24-src_1.24.4-1_all.deb
Size: 20000000
SHA256: ${sha('2')}

Package: golang-1.21-go
Version: 1.21.13-1~bpo12+1
Architecture: arm64
Filename: pool/main/g/golang-1.21/golang-1.21-go_1.21.13-1~bpo12+1_arm64.deb
Size: 1
SHA256: not-a-hash
`;
