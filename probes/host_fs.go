package probes

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/shirou/gopsutil/v4/disk"
	"github.com/shirou/gopsutil/v4/sensors"
)

// diskUse is one filesystem's fill level.
type diskUse struct {
	mount, device, fstype string
	pct                   float64
	err                   error // statfs failed: judged UNKNOWN, no metric
}

// filesystems lists the real filesystems and how full they are.
//
// disk.Partitions(all=false) keeps only filesystem types that need a block
// device (/proc/filesystems without "nodev"): that drops proc, sysfs, tmpfs,
// devtmpfs, overlay, cgroup, fuse and network filesystems (NFS, CIFS; a
// statfs on a dead server blocks past any deadline, and the server is
// watched as its own asset). Read-only images (snap squashfs, ISO, erofs)
// are 100% full by design and are dropped too. Bind mounts and btrfs
// subvolumes show one device several times: the shortest mount point is kept.
func filesystems(ctx context.Context) ([]diskUse, error) {
	parts, err := disk.PartitionsWithContext(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("reading mounts: %w", err)
	}
	byDev := map[string]disk.PartitionStat{}
	for _, p := range parts {
		if imageFS(p.Fstype) {
			continue
		}
		if q, ok := byDev[p.Device]; ok && len(q.Mountpoint) <= len(p.Mountpoint) {
			continue
		}
		byDev[p.Device] = p
	}
	out := make([]diskUse, 0, len(byDev))
	for _, p := range byDev {
		d := diskUse{mount: p.Mountpoint, device: p.Device, fstype: p.Fstype}
		if u, err := disk.UsageWithContext(ctx, p.Mountpoint); err != nil {
			d.err = err
		} else {
			d.pct = u.UsedPercent
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].mount < out[j].mount })
	return out, nil
}

// imageFS reports read-only image filesystems, full by design.
func imageFS(fstype string) bool {
	switch fstype {
	case "squashfs", "iso9660", "udf", "erofs", "cramfs", "romfs":
		return true
	}
	return false
}

// fullest returns the fullest measured filesystem and how many were measured.
func fullest(ds []diskUse) (diskUse, int) {
	var best diskUse
	n := 0
	for _, d := range ds {
		if d.err != nil {
			continue
		}
		if n == 0 || d.pct > best.pct {
			best = d
		}
		n++
	}
	return best, n
}

// sensorTemp is one temperature reading.
type sensorTemp struct {
	name    string
	celsius float64
}

// maxTempsShown bounds the temperatures attribute (a server has dozens).
const maxTempsShown = 8

// temperatures reads hwmon (or thermal zones), hottest first. A machine
// without sensors (most VMs) gives none: the metric is then absent and the
// attribute says "n/a", never 0. Readings at or below 0 °C come from
// unconnected inputs and are dropped. gopsutil returns partial readings with
// a warning error; the readings are kept.
func temperatures(ctx context.Context) []sensorTemp {
	ts, _ := sensors.TemperaturesWithContext(ctx)
	var out []sensorTemp
	for _, t := range ts {
		if t.Temperature > 0 {
			out = append(out, sensorTemp{name: t.SensorKey, celsius: t.Temperature})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].celsius > out[j].celsius })
	return out
}

// formatTemps writes the hottest sensors: "coretemp_package_id_0 52°C, ...".
func formatTemps(ts []sensorTemp) string {
	parts := make([]string, 0, min(len(ts), maxTempsShown)+1)
	for i, t := range ts {
		if i == maxTempsShown {
			parts = append(parts, fmt.Sprintf("+%d more", len(ts)-i))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %.0f°C", t.name, t.celsius))
	}
	return strings.Join(parts, ", ")
}
