// Package snmpagent runs simulated SNMP devices for tests, benchmarks and
// `noctop demo` (the lab's switches and UPS are devices of it).
//
// Start runs the devices, one UDP socket per device, each on its own
// loopback address (127.0.1.1, 127.0.1.2, ..., skipping .0 and .255; never
// outside 127.0.0.0/8: ErrNotLoopback), so one process can be 1,000
// devices.
//
//	a, err := snmpagent.Start(ctx, snmpagent.Options{
//		Devices: 200,                  // lab-sw-001 .. lab-sw-200
//		Spec:    snmpagent.DeviceSpec{Interfaces: 48},
//		Users: []snmpagent.User{{Name: "ops", AuthProtocol: gosnmp.SHA,
//			AuthPassword: "authpass1", PrivProtocol: gosnmp.AES, PrivPassword: "privpass1"}},
//	})
//	defer a.Close()                  // or cancel ctx; Close waits either way
//	d := a.Devices()[0]              // or a.Device("127.0.1.1")
//	d.Addr()                         // "127.0.1.1:40428" (Port: 0 picks one per address)
//	d.SetSilent(true)                // no answers until SetSilent(false)
//	d.Reboot()                       // sysUpTime and counters from 0, engine boots +1
//	d.SetFirmware("... firmware 2.0.0") // sysDescr; SetObjectID for sysObjectID
//	d.SetOper(3, false)              // ifOperStatus.3 down, its counters stop
//	d.SetMisbehave(snmpagent.MisbehaveLoop) // see the Misbehave constants
//
// More knobs: SetAdmin (ifAdminStatus), SetAlias (ifAlias, any length),
// SetObjectID (sysObjectID), SetCPULoad (pin hrProcessorLoad),
// SetBatteryCharge (the UPS scalar).
// Readers for tests: Name, Host, Port, Community, EngineID, Spec (with the
// defaults filled in), InRate and OutRate (octets/s of an interface while
// up), Answered and Dropped (requests answered, datagrams ignored).
//
// Protocol: SNMPv1 and v2c with a community (default "public"; a wrong
// one gets no answer, as net-snmp does) and SNMPv3 USM (engine ID
// discovery through a usmStatsUnknownEngineIDs Report, time window with
// authenticated usmStatsNotInTimeWindows Reports, noAuthNoPriv, authNoPriv
// and authPriv with MD5, SHA and SHA-2 and DES or AES (gosnmp's key
// localization and ciphers); an unknown user gets usmStatsUnknownUserNames
// and a wrong authentication password usmStatsWrongDigests, both
// unauthenticated as net-snmp sends them; a wrong privacy password gets no
// answer, as with net-snmp 5.9). A user is served at its own level only
// (as net-snmp's "rouser NAME priv"): a request below it gets a Response
// with authorizationError, one above it a usmStatsUnsupportedSecLevels
// Report. GET, GETNEXT and GETBULK (non-repeaters,
// max-repetitions, any number of columns; a response is cut to fit 65,507
// bytes or the v3 msgMaxSize). SET gets noAccess (v1: noSuchName). GET of
// a missing instance of a known object is noSuchInstance, of anything else
// noSuchObject.
//
// Every device serves, sorted for binary search (the layout is shared by
// devices of the same shape):
//
//   - system: sysDescr, sysObjectID, sysUpTime (centiseconds since the
//     device's boot), sysContact, sysName, sysLocation, sysServices.
//   - IF-MIB: ifNumber; ifTable (ifIndex, ifDescr, ifType, ifMtu, ifSpeed,
//     ifPhysAddress, ifAdminStatus, ifOperStatus, ifLastChange, ifInOctets,
//     ifInUcastPkts, ifInDiscards, ifInErrors, ifOutOctets, ifOutUcastPkts,
//     ifOutDiscards, ifOutErrors) and ifXTable (ifName, ifHCInOctets,
//     ifHCOutOctets, ifHighSpeed, ifAlias) for DeviceSpec.Interfaces
//     interfaces (default 8). Counters are computed from the time each
//     interface has been up since boot, at a per-interface rate (InRate,
//     OutRate), so every poll sees consistent values; the 32-bit counters
//     wrap at 2^32, the HC ones do not. By default ifIndex 2 has rising
//     ifInErrors, ifIndex N-1 is admin up and oper down, ifIndex N admin
//     down. NoIfXTable makes a 32-bit-only device.
//   - HOST-RESOURCES: hrStorageTable (RAM, virtual memory, "/" and "/var")
//     and hrProcessorLoad (one row per CPU, index 196608+n as net-snmp);
//     NoHostResources drops both, NoProcessorLoad leaves hrProcessorLoad
//     empty, ProcessorLoadAfter empties it for the first part of uptime.
//   - custom scalars (APC PowerNet): OIDUPSBatteryCharge, OIDUPSBatteryTemp,
//     OIDUPSRuntime, OIDUPSModel.
//   - with DeviceSpec.UPS: UPS-MIB (RFC 1628: upsIdent, battery group, one
//     input and one output line; knobs SetOnBattery, SetBatteryCharge,
//     SetUPSLoad, SetInputVoltage). With Printer: Printer-MIB (RFC 3805:
//     four toner supplies, two trays, alerts for what is low or empty) and
//     hrDeviceStatus/hrPrinterStatus (SetSupplyLevel, SetTrayLevel). With
//     Sensors: entPhysicalTable and ENTITY-SENSOR-MIB's entPhySensorTable
//     (temperatures, fans, power supplies; SetSensor, SetSensorStatus).
//     With AccessPoint: dot11StationConfigTable's SSIDs and a fictitious
//     vendor's AP and SSID tables under .1.3.6.1.4.1.99999 (SetClients,
//     SetAPUp). mib_profiles.go says which kinds they use.
//
// Devices with DeviceSpec.Neighbors also serve LLDP-MIB (lldpLocChassisId,
// a MAC address ChassisMAC(index) gives, lldpLocSysName, and lldpRemTable:
// chassis ID as a MAC when it parses as one, else a local string, port ID
// as an interface name, port description, system name); devices with
// DeviceSpec.FDB serve BRIDGE-MIB dot1dTpFdbTable (address, port,
// learned). InterfaceMAC(index, ifIndex) is a device's ifPhysAddress, for
// another device's FDB. Devices without them serve neither MIB.
//
// Options.Clock replaces time.Now (ManualClock moves only when told), so
// that tests can move time and see counters grow and wrap without waiting.
package snmpagent
