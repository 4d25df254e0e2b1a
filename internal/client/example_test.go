package client_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// A create as a provider drives it: create, then wait for the integration to settle.
func Example() {
	c, err := client.New(client.Config{Connection: client.Connection{
		BaseURL:   "acme.immuta.com",
		APIToken:  "846e9e43c86a4ct1be14290d95127d13f",
		UserAgent: "example/1.0",
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()

	creation, err := c.StartCreate(ctx, client.Payload{
		Type: client.TypeRedshift,
		Config: client.RedshiftConfig{
			Host: "organization.aws.amazon.com", Database: "immuta",
			AuthenticationType: client.AuthUserPassword, Username: "immuta_system", Password: "...",
		},
	})
	var exists *client.ExistingIntegrationError
	switch {
	case errors.As(err, &exists):
		fmt.Println("host already has integration", exists.ID, "ambiguous:", exists.Ambiguous)
		return
	case err != nil:
		fmt.Println(err)
		return
	}
	defer creation.Done()
	_, in, err := creation.Wait(ctx)
	var failed *client.StatusError
	if errors.As(err, &failed) {
		for _, t := range failed.FailedTests {
			fmt.Println("failed:", t.Name)
		}
		return
	}
	fmt.Println(in.Status, err)
}
