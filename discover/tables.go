package discover

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// roots asks for the first object under each MIB root with one GETNEXT and
// returns the roots that have one.
func roots(cl *client) ([]string, error) {
	all := mibRoots()
	pkt, err := call(func() (*gosnmp.SnmpPacket, error) { return cl.g.GetNext(all) })
	if err != nil {
		return nil, err
	}
	var out []string
	for i, v := range pkt.Variables {
		if i < len(all) && strings.HasPrefix(v.Name, all[i]+".") {
			out = append(out, all[i])
		}
	}
	return out, nil
}

// walk reads a column, cut at maxTableRows; each gets the row's index
// (the OID after the column) and value.
func walk(cl *client, column string, each func(index string, v gosnmp.SnmpPDU)) error {
	n := 0
	errStop := errors.New("stop")
	errCut := fmt.Errorf("more than %d rows: the rest was not read", maxTableRows)
	walker := cl.g.BulkWalk
	if cl.g.Version == gosnmp.Version1 {
		walker = cl.g.Walk
	}
	_, err := call(func() (struct{}, error) {
		return struct{}{}, walker(column, func(v gosnmp.SnmpPDU) error {
			if !strings.HasPrefix(v.Name, column+".") {
				return errStop
			}
			if n++; n > maxTableRows {
				return errCut
			}
			each(strings.TrimPrefix(v.Name, column+"."), v)
			return nil
		})
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return err
}

// lldp reads the local chassis ID and lldpRemTable's chassis, port and
// name columns.
func lldp(cl *client, h *Host) error {
	pkt, err := call(func() (*gosnmp.SnmpPacket, error) { return cl.g.Get([]string{oidLLDPLocChassis}) })
	if err == nil && len(pkt.Variables) == 1 {
		if b, ok := pkt.Variables[0].Value.([]byte); ok {
			h.ChassisID = chassisText(b)
		}
	}
	rows := map[string]*Neighbor{}
	var order []string
	for _, col := range []int{lldpRemChassisCol, lldpRemPortIDCol, lldpRemSysNameCol} {
		err := walk(cl, oidLLDPRemEntry+"."+strconv.Itoa(col), func(index string, v gosnmp.SnmpPDU) {
			// index: timeMark.localPort.remIndex
			parts := strings.Split(index, ".")
			if len(parts) != 3 {
				return
			}
			n := rows[index]
			if n == nil {
				port, _ := strconv.Atoi(parts[1])
				n = &Neighbor{LocalPort: port}
				rows[index] = n
				order = append(order, index)
			}
			b, _ := v.Value.([]byte)
			switch col {
			case lldpRemChassisCol:
				n.ChassisID = chassisText(b)
			case lldpRemPortIDCol:
				n.PortID = text(b)
			case lldpRemSysNameCol:
				n.SysName = text(b)
			}
		})
		if err != nil {
			return fmt.Errorf("lldpRemTable: %w", err)
		}
	}
	for _, k := range order {
		h.Neighbors = append(h.Neighbors, *rows[k])
	}
	return nil
}

// fdb reads dot1dTpFdbPort: the MAC (the row's index) and its port.
func fdb(cl *client, h *Host) error {
	return walk(cl, oidDot1dTpFdbPort, func(index string, v gosnmp.SnmpPDU) {
		mac, ok := macFromIndex(index)
		port, isInt := v.Value.(int)
		if ok && isInt {
			h.FDB = append(h.FDB, FDBEntry{MAC: mac, Port: port})
		}
	})
}

// macs reads ifPhysAddress: the host's MAC addresses, for the bridges'
// tables.
func macs(cl *client, h *Host) error {
	return walk(cl, oidIfPhysAddress, func(_ string, v gosnmp.SnmpPDU) {
		if b, ok := v.Value.([]byte); ok && len(b) == 6 {
			h.MACs = append(h.MACs, net.HardwareAddr(b).String())
		}
	})
}

func macFromIndex(index string) (string, bool) {
	parts := strings.Split(index, ".")
	if len(parts) != 6 {
		return "", false
	}
	b := make(net.HardwareAddr, 6)
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 {
			return "", false
		}
		b[i] = byte(n)
	}
	return b.String(), true
}

// chassisText is an LLDP chassis ID as text: a MAC address when it is six
// bytes that are not all printable, the text when printable, else hex.
func chassisText(b []byte) string {
	if len(b) == 6 && !printable(b) {
		return net.HardwareAddr(b).String()
	}
	if printable(b) {
		return string(b)
	}
	return fmt.Sprintf("%x", b)
}

func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return len(b) > 0
}

// text is a DisplayString from the network, clipped and with control
// characters dropped.
func text(b []byte) string {
	s := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, string(b))
	return model.Clip(strings.TrimSpace(s), model.MaxNetText)
}
