package model

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// Load reads, decodes, defaults and validates the config at path. On failure
// the error is a ConfigErrors listing every problem, or a *TooManyErrors
// listing the first MaxConfigErrors (or a plain error when the file cannot
// be read, wrapping ErrConfigNotFound if it does not exist).
func Load(path string) (*Config, error) { return LoadContext(context.Background(), path) }

// LoadContext is Load that gives up when ctx is done (SIGINT while a huge
// config loads); its error then wraps ctx's, so errors.Is(err,
// context.Canceled) holds.
func LoadContext(ctx context.Context, path string) (*Config, error) {
	data, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	return ParseContext(ctx, path, data)
}

// LoadEach is LoadContext that hands each asset to each as soon as it is
// read, defaulted and validated, in config order, while the config has no
// error yet; cfg is the config being read (its [defaults] and [scheduler]
// are). each may consume the asset's checks (set Checks to nil): noctop
// check prepares its probes there, so a large config's checks (616 bytes
// each, 6 MB at 10,000) are never all held at once. When the config turns
// out invalid, each has seen the assets before the first error.
func LoadEach(ctx context.Context, path string, each func(cfg *Config, a *Asset)) (*Config, error) {
	data, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	l, err := load(ctx, path, data, true, each)
	if err != nil {
		return nil, err
	}
	l.cfg.Path = path
	return l.cfg, nil
}

// Parse is Load on bytes already read; file names the source in errors.
// Parse sets cfg.Path to file.
func Parse(file string, data []byte) (*Config, error) {
	return ParseContext(context.Background(), file, data)
}

// ParseContext is Parse that gives up when ctx is done, like LoadContext.
func ParseContext(ctx context.Context, file string, data []byte) (*Config, error) {
	l, err := load(ctx, file, data, true, nil)
	if err != nil {
		return nil, err
	}
	l.cfg.Path = file
	return l.cfg, nil
}

// Summary is what a valid config holds, as validate prints it.
type Summary struct {
	Path                           string
	Assets, Technical, Application int
	Checks, Services               int
}

// Validate checks the config at path as Load does, with the same errors,
// but keeps no asset: each is checked and dropped, so memory stays bounded
// whatever the size of the config (Load holds them all for the monitor).
func Validate(ctx context.Context, path string) (Summary, error) {
	data, err := readConfig(path)
	if err != nil {
		return Summary{}, err
	}
	l, err := load(ctx, path, data, false, nil)
	if err != nil {
		return Summary{}, err
	}
	s := l.sum
	s.Path, s.Services = path, len(l.cfg.Services)
	return s, nil
}

// readConfig reads a config file, refusing one over MaxConfigBytes before
// reading it.
func readConfig(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %w", ErrConfigNotFound, err)
		}
		return nil, fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	size := int64(0)
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	if size > MaxConfigBytes {
		return nil, sizeError(path, size)
	}
	// Read into a buffer of the file's size (plus one byte to see the
	// end), growing only for a pipe or a file that grows meanwhile, and
	// never past one byte over the limit.
	data := make([]byte, 0, size+1)
	r := io.LimitReader(f, MaxConfigBytes+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read config: %w", err)
		}
	}
	if len(data) > MaxConfigBytes {
		return nil, sizeError(path, int64(len(data)))
	}
	return data, nil
}

// loader is one load: the document, what was decoded from it, and the
// errors found so far.
type loader struct {
	ctx    context.Context
	file   string
	data   []byte
	errs   *errorSet
	fields fieldIndex
	ix     *keyIndex
	cfg    *Config
	root   reflect.Value // *cfg
	v      *validator
	// keep: the assets stay in cfg (Load). Validate drops each asset once
	// it is checked; base is then the index in the file of cfg.Assets[0].
	keep bool
	base int
	// keepKeys keeps the key index whole (tests look at it).
	keepKeys bool
	// each, when set, sees each asset once it is checked (LoadEach).
	each func(*Config, *Asset)

	parser unstable.Parser
	table  tableRef   // where key-values go
	path   []pathPart // of the key being decoded
	// skip holds paths a decode error left out: problems below them
	// follow from that error and would only repeat it.
	skip map[string]bool

	// The asset being read: its first node and its index in cfg.Assets.
	groupNode  int32
	groupFirst int

	assets, checks int  // counted against the limits
	stopped        bool // a limit was reached: nothing more is read
	sum            Summary
}

// load decodes and validates data. Each step is linear in the file (a test
// counts its allocations) and checks ctx in its loop.
func load(ctx context.Context, file string, data []byte, keep bool, each func(*Config, *Asset)) (*loader, error) {
	if len(data) > MaxConfigBytes {
		return nil, sizeError(file, int64(len(data)))
	}
	l := newLoader(ctx, file, data, keep)
	l.each = each
	if err := l.run(); err != nil {
		return nil, err
	}
	return l, nil
}

func newLoader(ctx context.Context, file string, data []byte, keep bool) *loader {
	l := &loader{ctx: ctx, file: file, data: data, keep: keep, fields: fieldIndex{}, ix: newKeyIndex(), cfg: &Config{}}
	l.errs = newErrorSet(file, data, MaxConfigErrors)
	l.root = reflect.ValueOf(l.cfg).Elem()
	l.v = &validator{loader: l}
	return l
}

// run reads the document in two passes: everything but the assets first,
// so that [defaults] is known wherever it is written, then the assets, each
// validated as soon as it is read. The parser costs a few ms per MB;
// reading twice is cheaper than holding what each asset needs until the
// end.
func (l *loader) run() error {
	stopped := func() error { return fmt.Errorf("load %s: %w", l.file, l.ctx.Err()) }
	if l.ctx.Err() != nil {
		return stopped()
	}
	if n, at := largestExpression(l.data); n > MaxExprValues {
		errs := newErrorSet(l.file, l.data, MaxConfigErrors)
		errs.addf(at, "", ErrTooLarge, "this value holds %s elements or more; the limit is %s (go-toml's parser keeps a node for each)",
			groupThousands(n), groupThousands(MaxExprValues))
		return errs.err()
	}
	if err := l.pass(false); err != nil {
		if l.ctx.Err() != nil {
			return stopped()
		}
		// Only the syntax error: what was decoded before it may be
		// misread (a table cut short).
		errs := newErrorSet(l.file, l.data, MaxConfigErrors)
		errs.add(syntaxOffset(l.data, err), "", ErrSyntax, func() string { return "syntax: " + err.Error() })
		return errs.err()
	}
	if !l.stopped {
		l.v.beforeAssets()
		if l.keep && l.assets > 0 { // counted in pass 1: no regrowth
			l.cfg.Assets = make([]Asset, 0, l.assets)
		}
		l.assets, l.checks = 0, 0
		l.groupNode = int32(len(l.ix.nodes))
		if err := l.pass(true); err != nil {
			return stopped() // the syntax was read in pass 1
		}
		l.finishGroup()
	}
	if !l.stopped && l.ctx.Err() == nil {
		l.v.afterAssets(l.ctx)
	}
	if l.ctx.Err() != nil {
		return stopped()
	}
	return withProfileErrors(l.v.profileErrs, l.errs.err())
}

// pass reads every top-level expression, decoding those of the assets
// (assets) or the others; an asset's key-values follow its header.
func (l *loader) pass(assets bool) error {
	p := &l.parser // one parser for both passes: its node arena is reused
	p.Reset(l.data)
	l.table = tableRef{node: 0, dst: l.root, typ: l.root.Type()}
	l.path = l.path[:0]
	inAssets := false // the current table belongs to the assets
	headers := false  // a header was seen (key-values before it are top-level)
	for n := 0; p.NextExpression() && !l.stopped; n++ {
		if n%256 == 0 && l.ctx.Err() != nil {
			return l.ctx.Err()
		}
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			headers = true
			inAssets = isAssetKey(e)
			array := e.Kind == unstable.ArrayTable
			switch {
			case inAssets != assets:
				l.table.node = -1
				if inAssets && array {
					l.preCount(e)
				}
			default:
				if array && isAssetHeader(e) {
					l.finishGroup()
				}
				l.header(e, array)
			}
		case unstable.KeyValue:
			if !headers {
				inAssets = isAssetKey(e)
			}
			if inAssets != assets || l.table.node < 0 {
				continue
			}
			l.path = l.path[:l.table.depth]
			l.keyValue(l.table.node, e, l.table.dst, l.table.typ)
		}
	}
	return p.Error()
}

// isAssetKey reports an expression whose key starts with "asset" (in any
// case: go-toml would decode [[Asset]] into the assets too).
func isAssetKey(e *unstable.Node) bool {
	it := e.Key()
	return it.Next() && strings.EqualFold(string(it.Node().Data), "asset")
}

// isAssetHeader reports [[asset]] itself: a new asset starts there.
func isAssetHeader(e *unstable.Node) bool {
	it := e.Key()
	return it.Next() && strings.EqualFold(string(it.Node().Data), "asset") && !it.Next()
}

// preCount counts [[asset]] and [[asset.check]] headers in pass 1, so that
// a config over MaxAssets or MaxChecks is refused before anything of it is
// decoded.
func (l *loader) preCount(e *unstable.Node) {
	it := e.Key()
	it.Next()
	at := keyOffset(e)
	if !it.Next() {
		l.countAsset(at)
		return
	}
	if strings.EqualFold(string(it.Node().Data), "check") && !it.Next() {
		l.countCheck(at)
	}
}

// finishGroup validates the assets read since the last [[asset]] and
// forgets their keys; Validate drops the assets too.
func (l *loader) finishGroup() {
	for i := l.groupFirst; i < len(l.cfg.Assets); i++ {
		l.v.assetDone(l.base+i, &l.cfg.Assets[i])
		if l.each != nil && l.errs.len() == 0 {
			l.each(l.cfg, &l.cfg.Assets[i])
		}
	}
	if !l.keepKeys {
		l.ix.dropFrom(l.groupNode)
	}
	if !l.keep {
		l.base += len(l.cfg.Assets)
		clear(l.cfg.Assets)
		l.cfg.Assets = l.cfg.Assets[:0]
	}
	l.groupNode = int32(len(l.ix.nodes))
	l.groupFirst = len(l.cfg.Assets)
}

// syntaxOffset places a parser error at its highlight.
func syntaxOffset(data []byte, err error) int {
	var pe *unstable.ParserError
	if errors.As(err, &pe) && pe.Highlight != nil {
		if o := cap(data) - cap(pe.Highlight); o >= 0 && o <= len(data) {
			return o
		}
	}
	return len(data)
}

func kindName(k unstable.Kind) string {
	switch k {
	case unstable.String:
		return "string"
	case unstable.Integer:
		return "integer"
	case unstable.Float:
		return "float"
	case unstable.Bool:
		return "boolean"
	case unstable.Array:
		return "array"
	case unstable.InlineTable, unstable.Table:
		return "table"
	case unstable.ArrayTable:
		return "array of tables"
	case unstable.LocalDate:
		return "local date"
	case unstable.LocalTime:
		return "local time"
	case unstable.LocalDateTime:
		return "local date-time"
	case unstable.DateTime:
		return "date-time"
	}
	return k.String()
}

// shortKey names a key as the user wrote it in its table: the part of the
// path after the last array index ("loss.warn", "parents").
func shortKey(path string) string {
	parts := strings.Split(path, ".")
	for len(parts) > 1 && isIndex(parts[len(parts)-1]) {
		parts = parts[:len(parts)-1]
	}
	for i := len(parts) - 1; i >= 0; i-- {
		if isIndex(parts[i]) {
			return strings.Join(parts[i+1:], ".")
		}
	}
	return strings.Join(parts, ".")
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
