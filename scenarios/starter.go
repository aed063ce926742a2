package scenarios

// Starter returns a commented starter file for `smbsim init [NAME]`: the
// built-in's text with every other key listed, commented out, with its
// default, meaning and allowed range. "" means the baseline.
func Starter(name string) ([]byte, error) {
	if name == "" {
		name = "baseline"
	}
	return BuiltinSource(name)
}
