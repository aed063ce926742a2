package main

import (
	"context"
	"errors"

	"github.com/urfave/cli/v3"
)

func plotCommand() *cli.Command {
	return &cli.Command{
		Name:  "plot",
		Usage: "not implemented yet",
		Action: func(ctx context.Context, cmd *cli.Command) error {
			return errors.New("plot: not implemented yet")
		},
	}
}
