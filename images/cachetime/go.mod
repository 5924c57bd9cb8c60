module bake.local/cachetime

go 1.21
