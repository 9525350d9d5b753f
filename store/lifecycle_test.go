package store

import (
	"context"
	"testing"

	"noctop/model"
)

// The certificates a lifecycle check registered are kept with its state:
// a read-only open beside the writer lists them by asset, a restart
// resumes them into the register.
func TestSeenCerts(t *testing.T) {
	clk := &clock{t: t0}
	cfg := &model.Config{Assets: []model.Asset{
		{Name: "portal", Address: "127.0.0.1", Checks: []model.Check{{Type: "tls"}}},
		{Name: "sw", Address: "127.0.0.1", Checks: []model.Check{{Type: "icmp"}}},
	}}
	cfg.ApplyDefaults()
	r := startEngine(t, cfg, clk.Now, nil)
	leaf := model.Cert{Subject: "CN=portal", Issuer: "CN=lab CA", NotAfter: t0.AddDate(0, 0, 12).UTC(), Fingerprint: "aa"}
	ca := model.Cert{Subject: "CN=lab CA", Issuer: "CN=lab CA", NotAfter: t0.AddDate(5, 0, 0).UTC(), Fingerprint: "bb"}
	ctx := context.Background()
	if err := r.e.Submit(ctx, model.Result{Key: model.CheckKey{Asset: "portal", Check: "tls"}, At: t0,
		Outcome: model.Outcome{Status: model.StatusOK, Summary: "ok", Certs: []model.Cert{leaf, ca}}}); err != nil {
		t.Fatal(err)
	}
	snap := r.sync()
	path := dbPath(t)
	s := openTest(t, path, Options{Now: clk.Now})
	defer s.Close()
	feed(t, s, snap)

	ro, err := OpenReadOnly(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	got, err := ro.SeenCerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got["portal"]) != 2 || got["portal"][0].Check != "tls" || got["portal"][0].Cert != leaf || got["portal"][1].Cert != ca {
		t.Fatalf("SeenCerts = %+v", got)
	}

	res, err := s.Resume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r2 := startEngine(t, cfg, clk.Now, res)
	lc := r2.sync().Asset("portal").Check(model.CheckLifecycle)
	if items := lc.Renewals(); len(items) != 2 || items[0].Cert.Fingerprint != "aa" || lc.Status != model.StatusCritical {
		t.Fatalf("resumed register %s %+v", lc.Status, items)
	}
}
