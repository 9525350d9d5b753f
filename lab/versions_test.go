package lab_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"noctop/lab"
)

// The CRM reports its version in a header and /version; ERP's link to it
// fails with 502 while the CRM runs another API, and works again after a
// rollback.
func TestLabVersionsAndLinks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	l, err := lab.Start(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	header := func(app string) string {
		resp, err := http.Get(l.URL(app, "/healthy"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get(lab.VersionHeader)
	}
	if v := header(lab.CRM); v != lab.CRMVersion {
		t.Errorf("crm %s = %q, want %q", lab.VersionHeader, v, lab.CRMVersion)
	}
	if v := header(lab.WebShop); v != lab.DefaultVersion {
		t.Errorf("web-shop %s = %q, want the lab's %q", lab.VersionHeader, v, lab.DefaultVersion)
	}
	if code, body := get(t, l.URL(lab.ERP, "/link/crm")); code != 200 || !strings.Contains(body, "crm API 4.2") {
		t.Errorf("erp /link/crm at 4.2.0 = %d %q", code, body)
	}
	if err := l.SetAppVersion(lab.CRM, lab.CRMUpgrade); err != nil {
		t.Fatal(err)
	}
	if v := header(lab.CRM); v != lab.CRMUpgrade {
		t.Errorf("crm after the upgrade: %q", v)
	}
	if _, body := get(t, l.URL(lab.CRM, "/version")); !strings.Contains(body, `"version":"4.3.0"`) {
		t.Errorf("crm /version after the upgrade = %q", body)
	}
	if code, body := get(t, l.URL(lab.ERP, "/link/crm")); code != 502 || !strings.Contains(body, "incompatible CRM API 4.3") {
		t.Errorf("erp /link/crm at 4.3.0 = %d %q, want 502 incompatible CRM API 4.3", code, body)
	}
	if err := l.SetAppVersion(lab.CRM, "4.2.7"); err != nil { // a rollback to a patch of 4.2
		t.Fatal(err)
	}
	if code, _ := get(t, l.URL(lab.ERP, "/link/crm")); code != 200 {
		t.Errorf("erp /link/crm after the rollback = %d", code)
	}
	if code, _ := get(t, l.URL(lab.ERP, "/link/nobody")); code != 404 {
		t.Errorf("/link/nobody = %d, want 404", code)
	}
	if err := l.SetAppVersion("nobody", "1"); err == nil {
		t.Error("SetAppVersion on an unknown application: no error")
	}
}
