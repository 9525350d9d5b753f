package main

import (
	"os/exec"
	"strings"
	"testing"

	"noctop/promtest"
)

// The scale-out recipe's files are what the tools accept: promtool checks
// the scrape config (with its rule files) and the rules and runs the
// rules' unit tests, amtool the Alertmanager config, bash the script's
// syntax.
func TestScaleoutRecipeFilesCheck(t *testing.T) {
	promtool := promtest.Need(t, "NOCTOP_REQUIRE_PROMETHEUS", "prometheus", "promtool")
	amtool := promtest.Need(t, "NOCTOP_REQUIRE_ALERTMANAGER", "prometheus-alertmanager", "amtool")
	for _, args := range [][]string{
		{promtool, "check", "config", "prometheus.yml"},
		{promtool, "check", "rules", "rules.yml", "alerts.yml"},
		{promtool, "test", "rules", "rules.test.yml"},
		{amtool, "check-config", "alertmanager.yml"},
		{"bash", "-n", "run.sh"},
	} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = scaleoutDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
