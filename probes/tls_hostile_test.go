package probes

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"noctop/lab"
	"noctop/model"
)

// A certificate whose issuer and subject are 10 KB and which names 100
// hosts of 200 bytes: reasons and attrs carry them cut, with the length.
func TestTLSHugeNames(t *testing.T) {
	caName := strings.Repeat("I", 10000)
	ca, err := lab.NewCA(caName)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, ca.PEM, 0o600); err != nil {
		t.Fatal(err)
	}
	names := []string{strings.Repeat("s", 10000) + ".test"}
	for i := range 100 {
		names = append(names, fmt.Sprintf("%03d%s.test", i, strings.Repeat("n", 195)))
	}
	cert, err := ca.Issue(time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0), names...)
	if err != nil {
		t.Fatal(err)
	}
	addr := serveTLS(t, cert)
	n := &Net{}
	const limit = 5 * model.MaxNetText // four names in a reason

	o := run(t, n.PrepareTLS, tlsTarget(addr, model.Check{ServerName: "portal.test", InsecureSkipVerify: true}), 5*time.Second)
	expect(t, o, model.StatusOK, `certificate valid 36[45] d until [0-9-]{10}, issuer I{256}… \(10000 bytes\)`)
	clipped(t, "issuer", o.Attrs["issuer"], len("CN="+caName+",O=noctop lab"))
	clipped(t, "subject", o.Attrs["subject"], len("CN="+names[0]))
	if !strings.HasPrefix(o.Attrs["names"], "sssss") || !strings.HasSuffix(o.Attrs["names"], " bytes)") {
		t.Errorf("names attr %.60q…%q", o.Attrs["names"], o.Attrs["names"][max(0, len(o.Attrs["names"])-20):])
	}
	assertBounded(t, o, limit)

	o = run(t, n.PrepareTLS, tlsTarget(addr, model.Check{ServerName: "portal.test", CAFile: caFile}), 5*time.Second)
	expect(t, o, model.StatusCritical, `TLS: certificate is valid for s{256}… \(10005 bytes\), 000n+\.test, 001n+\.test, 002n+\.test and 97 more, not portal\.test`)
	assertBounded(t, o, limit)

	// A name it has, but an authority the system roots do not know.
	o = run(t, n.PrepareTLS, tlsTarget(addr, model.Check{ServerName: names[1]}), 5*time.Second)
	expect(t, o, model.StatusCritical, `TLS: certificate signed by unknown authority \(issuer I{256}… \(10000 bytes\)\)`)
	assertBounded(t, o, limit)
}
