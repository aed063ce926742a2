package serve

// participants are the people steering firms from their phones.
type participants struct{}

func (p *participants) init()         {}
func (p *participants) reset()        {}
func (p *participants) apply(*branch) {}
