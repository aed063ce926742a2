package main

import (
	"context"
	"errors"

	"github.com/urfave/cli/v3"
)

func benchCommand() *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "not implemented yet",
		Action: func(ctx context.Context, cmd *cli.Command) error {
			return errors.New("bench: not implemented yet")
		},
	}
}
