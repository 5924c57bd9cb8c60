module bake.local/probe

go 1.21
