package main

import (
	"context"
	"errors"

	"github.com/urfave/cli/v3"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:  "report",
		Usage: "not implemented yet",
		Action: func(ctx context.Context, cmd *cli.Command) error {
			return errors.New("report: not implemented yet")
		},
	}
}
