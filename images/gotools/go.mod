module bake.local/gotools

go 1.21
