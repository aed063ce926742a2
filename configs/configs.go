// Package configs is smbsim's built-in scenario library: one TOML file
// per scenario, each opening with a comment line that says what it shows
// in a workshop. Package scenarios reads them by name (smbsim run NAME,
// smbsim init NAME); docs/scenarios.md documents the keys.
package configs

import "embed"

// FS holds the built-in scenario files, <name>.toml, at its root.
//
//go:embed *.toml
var FS embed.FS
