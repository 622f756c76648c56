package boltstore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/lambda-durable/durable/cmd/durable/boltstore"
	"github.com/lambda-durable/durable/local"
)

// Open a store file and hand it to the local service: executions written
// there survive a restart of the process.
func Example() {
	dir, err := os.MkdirTemp("", "durable")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	store, err := boltstore.Open(filepath.Join(dir, "durable.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	svc := local.New(local.WithStore(store))
	defer svc.Close()

	executions, err := store.LoadAll(context.Background())
	fmt.Println(len(executions), err)
	// Output: 0 <nil>
}
