// Package agents holds firm behaviour: behaviour types, the imitation,
// innovation and specialisation rules, and the cognitive biases that bend
// them. It knows nothing of the market or the network: the engine (package
// sim) passes in what a firm can see.
package agents

// Type is a firm's behaviour type.
type Type uint8

// Behaviour types.
const (
	Imitator Type = iota
	Innovator
	Specialist
	Adaptive
	NumTypes int = 4
)

var typeNames = [...]string{"imitator", "innovator", "specialist", "adaptive"}

// String returns the type's lower-case name, as used in outputs.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "unknown"
}

// TypeNames lists the behaviour types' names in Type order.
func TypeNames() []string { return typeNames[:] }
