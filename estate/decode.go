package estate

import (
	pmodel "github.com/prometheus/common/model"

	"noctop/model"
)

// decodeAnswers turns each query's vector into Raw's rows. Label values
// come from the network: they are clipped where they reach text.
func decodeAnswers(raw *Raw, qs []query, answers []pmodel.Vector) {
	for i, q := range qs {
		for _, s := range answers[i] {
			decodeSample(raw, q.name, s.Metric, float64(s.Value))
		}
	}
}

// decodeSample files one sample of query name.
func decodeSample(raw *Raw, name string, m pmodel.Metric, v float64) {
	l := func(k string) string { return model.Clip(string(m[pmodel.LabelName(k)]), model.MaxNetText) }
	sh := Shard{Site: l("site"), Shard: l("shard")}
	switch name {
	case "info", "status", "role", "root_cause", "checks":
		if l("asset") == "" {
			return // not a noctop series: nothing to file it under
		}
	case "services", "sla":
		if l("service") == "" {
			return
		}
	}
	if (name == "role" || name == "root_cause") && v <= 0 {
		return // 1 marks the role; anything else is no role
	}
	switch name {
	case "up":
		raw.Up = append(raw.Up, ShardValue{sh, v})
	case "reported":
		raw.Reported = append(raw.Reported, ShardValue{sh, v})
	case "info":
		raw.Assets = append(raw.Assets, AssetRow{Shard: sh, Name: l("asset"), Info: true,
			Layer: l("layer"), Kind: l("kind"), Address: l("address"), Parents: splitParents(l("parents"))})
	case "status":
		raw.Assets = append(raw.Assets, AssetRow{Shard: sh, Name: l("asset"), HasStatus: true, Code: v, Layer: l("layer")})
	case "role":
		raw.Assets = append(raw.Assets, AssetRow{Shard: sh, Name: l("asset"), Role: l("role")})
	case "root_cause":
		raw.Assets = append(raw.Assets, AssetRow{Shard: sh, Name: l("asset"), RootCause: l("root_cause")})
	case "checks":
		raw.Checks = append(raw.Checks, CheckRow{Shard: sh, Asset: l("asset"), Check: l("check"), Type: l("type"), Code: v})
	case "services":
		raw.Services = append(raw.Services, ServiceRow{Shard: sh, Name: l("service"), HasStatus: true, Code: v})
	case "sla":
		raw.Services = append(raw.Services, ServiceRow{Shard: sh, Name: l("service"), Window: l("window"), Ratio: v})
	}
}
