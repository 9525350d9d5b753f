package discover

import (
	"fmt"

	"noctop/model"
	"noctop/usm"
)

// Credentials are how discovery speaks SNMP, as an snmp check would: the
// secrets are kept as written (a value, "env:NAME" or "file:PATH"), so the
// config written says the same, and resolved to send requests.
type Credentials struct {
	Version      string // "1", "2c" (default) or "3"
	Community    string // versions 1 and 2c; default "public"
	User         string // version 3
	AuthProtocol string
	AuthPassword string
	PrivProtocol string
	PrivPassword string
	Context      string
	Port         int // default 161
}

// check is the snmp check the credentials make, defaults applied: the
// project's own rules validate it and the config writer prints it.
func (c Credentials) check() model.Check {
	ch := model.Check{Type: model.CheckSNMP, Version: c.Version, User: c.User, SNMPContext: c.Context, Port: c.Port,
		AuthProtocol: c.AuthProtocol, PrivProtocol: c.PrivProtocol}
	if ch.Version == "" {
		ch.Version = model.DefaultSNMPVersion
	}
	if ch.Port == 0 {
		ch.Port = model.DefaultSNMPPort
	}
	if c.Community != "" {
		ch.Community = model.NewSecret(c.Community)
	} else if ch.Version != "3" {
		ch.Community = model.NewSecret(model.DefaultSNMPCommunity)
	}
	if c.AuthPassword != "" {
		ch.AuthPassword = model.NewSecret(c.AuthPassword)
	}
	if c.PrivPassword != "" {
		ch.PrivPassword = model.NewSecret(c.PrivPassword)
	}
	return ch
}

// Validate checks the credentials with the rules an snmp check follows.
func (c Credentials) Validate() error {
	ch := c.check()
	if ch.Port < 1 || ch.Port > 65535 {
		return fmt.Errorf("port: want 1 to 65535, got %d", ch.Port)
	}
	if err := model.CheckSNMPVersion(ch.Version); err != nil {
		return err
	}
	if ch.Version != "3" {
		if err := ch.Community.Err(); err != nil {
			return fmt.Errorf("community: %w", err)
		}
		return model.CheckSNMPCommunity(ch.Community)
	}
	if err := model.CheckSNMPUser(ch.User); err != nil {
		return err
	}
	if _, err := usm.Auth(ch.AuthProtocol); err != nil {
		return err
	}
	if _, err := usm.Priv(ch.PrivProtocol); err != nil {
		return err
	}
	if err := model.CheckSNMPPrivacy(ch.AuthProtocol, ch.PrivProtocol); err != nil {
		return err
	}
	for _, pw := range []struct {
		key string
		set bool
		s   model.Secret
	}{{"auth_password", ch.AuthProtocol != "", ch.AuthPassword}, {"priv_password", ch.PrivProtocol != "", ch.PrivPassword}} {
		if !pw.set {
			continue
		}
		if err := pw.s.Err(); err != nil {
			return fmt.Errorf("%s: %w", pw.key, err)
		}
		if err := model.CheckSNMPPassword(pw.key, pw.s); err != nil {
			return err
		}
	}
	return nil
}
