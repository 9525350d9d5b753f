package probes

// The snmpd tests run net-snmp's agent on 127.0.0.1 (snmpdtest.Start)
// with a config of their own (DESIGN.md's recipe): community public, and
// v3 users with 8+ character passphrases.

// snmpdConf is the agent config every snmpd test uses.
const snmpdConf = `rocommunity public 127.0.0.1
createUser ops SHA "authpass1" AES "privpass1"
createUser ops256 SHA-256 "authpass1" AES-256 "privpass1"
createUser ops256c SHA-512 "authpass1" AES-256-C "privpass1"
createUser opsmd5 MD5 "authpass1" DES "privpass1"
createUser ops224 SHA-224 "authpass1" AES-192 "privpass1"
createUser ops384 SHA-384 "authpass1" AES-192-C "privpass1"
createUser auth SHA "authpass1"
rouser ops priv
rouser ops224 priv
rouser ops384 priv
rouser ops256 priv
rouser ops256c priv
rouser opsmd5 priv
rouser auth auth
sysName noctop-snmpd
sysLocation lab rack 1
sysContact noc@example.invalid
`
