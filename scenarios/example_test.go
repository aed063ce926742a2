package scenarios_test

import (
	"fmt"

	"github.com/smbsim/smbsim/scenarios"
)

func ExampleParse() {
	src := `[population.mix]
imitator = 0.7
innovator = 0.1
specialist = 0.1
adaptive = 0.1

[[shocks]]
kind = "downturn"
tick = 300
severity = 0.4
`
	s, err := scenarios.Parse("mostly-imitators.toml", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	c := s.Config()
	fmt.Println(s.Name, c.Population.Mix.Imitator, c.Population.Firms, len(s.Seeds()), c.Shocks[0].Kind)
	// Output: mostly-imitators 0.7 1000 10 downturn
}

func ExampleParse_problems() {
	src := `[market]
margin = 0.3
base_margin = 2
`
	_, err := scenarios.Parse("bad.toml", []byte(src))
	fmt.Println(err)
	// Output:
	// bad.toml:2:1: market.margin: unknown key; did you mean "market.base_margin"?
	// bad.toml:3:1: market.base_margin: must be between 0 and 1, got 2.0
}

func ExampleScenario_Set() {
	s := scenarios.Default()
	fmt.Println(s.Set("network.kind=ring"), s.Network.Kind)
	fmt.Println(s.Set("market.base_margin=2"))
	// Output:
	// <nil> ring
	// --set market.base_margin=2: must be between 0 and 1
}
