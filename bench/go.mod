module github.com/extlink/extlink/bench

go 1.26.0

require (
	github.com/cedar-policy/cedar-go v1.9.1
	github.com/extlink/extlink v0.0.0-00010101000000-000000000000
	github.com/google/go-cmp v0.7.0
	pgregory.net/rapid v1.3.0
)

require (
	github.com/go-json-experiment/json v1.27.2 // indirect
	golang.org/x/exp v0.0.0-20220921023135-46d9e7742f1e // indirect
)

replace github.com/extlink/extlink => ../
