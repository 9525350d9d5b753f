package lab

import (
	"os"
	"testing"
)

// The profile the lab writes is the documented example under dist/.
func TestAPProfileIsTheDistExample(t *testing.T) {
	b, err := os.ReadFile("../dist/profiles/noctop-lab-ap.toml")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != APProfile {
		t.Error("lab.APProfile and dist/profiles/noctop-lab-ap.toml differ: change both")
	}
}
