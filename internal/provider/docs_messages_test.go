package provider

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Docs say what the provider says. Every message that the guides and the
// generated docs quote is checked against the strings of the Go sources, read
// at test time (so that a changed message in the provider or the client makes
// the guide that quotes its old words fail here):
//
//   - in fenced output blocks (```text, ```console or unnamed), each diagnostic
//     as the CLI prints it: a line "Error: <summary>" or "Warning: <summary>"
//     (after an optional "│ " box), then its detail up to the next diagnostic or
//     the end of the block. The CLI's own lines ("with <address>,", "on <file>
//     line N", the quoted source line) are dropped, and "..." or <placeholder>
//     stand for an elided part;
//   - in prose, an inline code span that reads as a quoted message: four words
//     or more, beginning with a capital letter, with a lowercase word, and not an
//     HTTP request or SQL.
//
// A diagnostic is what the provider says when its summary and its detail are
// covered by the sources' strings: each string (a literal, a concatenation, a
// format string) is a pattern whose fixed parts must appear in order, its verbs
// and non-literal operands standing for values; what no string covers may only
// be values (a host, an id, an address, name = value lines), never prose. An
// inline span must match within one string. The sources are those of the
// provider and the client, and the emulator's, which hold Immuta's own words as
// the contract gives them (a 409's message), which the provider passes on.
//
// Messages of other programs that the docs quote are listed in
// otherProgramsMessages, with where they come from.

// otherProgramsMessages are diagnostics' summaries that the docs quote and
// that the provider does not produce.
var otherProgramsMessages = map[string]string{
	"Config generation is experimental": "Terraform CLI, plan -generate-config-out",
}

// sourceDirs hold the strings a quoted message may come from.
var sourceDirs = []string{".", "../client", "../emulator"}

// msgTemplate is one string of the sources: its fixed parts, with a value (a
// verb, a non-literal operand) between each two.
type msgTemplate struct {
	where string
	parts []string // normalized; a value goes between parts[i] and parts[i+1]
	text  string   // parts joined by "\x00", for inline spans
}

var verbRE = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z]`)

// segment is a piece of a string expression: literal text, or a value.
type segment struct {
	lit   string
	value bool
}

func splitVerbs(s string) []segment {
	var out []segment
	last := 0
	for _, loc := range verbRE.FindAllStringIndex(s, -1) {
		out = append(out, segment{lit: s[last:loc[0]]}, segment{value: true})
		last = loc[1]
	}
	out = append(out, segment{lit: s[last:]})
	for i := range out {
		out[i].lit = strings.ReplaceAll(out[i].lit, "%%", "%")
	}
	return out
}

// sourceTemplates parses the non-test Go files of dirs.
func sourceTemplates(t *testing.T, dirs []string) []*msgTemplate {
	t.Helper()
	var out []*msgTemplate
	fset := token.NewFileSet()
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		var parsed []*ast.File
		consts := map[string]string{}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			parsed = append(parsed, af)
		}
		// String constants, so that a message built from them reads whole; twice,
		// for constants made of constants.
		for range 2 {
			for _, af := range parsed {
				for _, d := range af.Decls {
					gd, ok := d.(*ast.GenDecl)
					if !ok || gd.Tok != token.CONST {
						continue
					}
					for _, spec := range gd.Specs {
						vs := spec.(*ast.ValueSpec)
						for i, name := range vs.Names {
							if i >= len(vs.Values) {
								continue
							}
							if s, ok := constString(vs.Values[i], consts); ok {
								consts[name.Name] = s
							}
						}
					}
				}
			}
		}
		for _, af := range parsed {
			ast.Inspect(af, func(n ast.Node) bool {
				switch e := n.(type) {
				case *ast.BinaryExpr:
					if e.Op != token.ADD || !hasStringLit(e) {
						return true
					}
				case *ast.BasicLit:
					if e.Kind != token.STRING {
						return true
					}
				default:
					return true
				}
				if tm := newTemplate(fset.Position(n.Pos()).String(), flatten(n.(ast.Expr), consts)); tm != nil {
					out = append(out, tm)
				}
				return false
			})
		}
	}
	return out
}

func hasStringLit(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if l, ok := n.(*ast.BasicLit); ok && l.Kind == token.STRING {
			found = true
		}
		return !found
	})
	return found
}

func constString(e ast.Expr, consts map[string]string) (string, bool) {
	var b strings.Builder
	for _, s := range flatten(e, consts) {
		if s.value {
			return "", false
		}
		b.WriteString(s.lit)
	}
	return b.String(), true
}

// flatten reads a string expression as literal text and values. A constant
// is read as its text, without looking for verbs in it again.
func flatten(e ast.Expr, consts map[string]string) []segment {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			if s, err := strconv.Unquote(e.Value); err == nil {
				return splitVerbs(s)
			}
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return append(flatten(e.X, consts), flatten(e.Y, consts)...)
		}
	case *ast.ParenExpr:
		return flatten(e.X, consts)
	case *ast.Ident:
		if s, ok := consts[e.Name]; ok {
			return []segment{{lit: s}}
		}
	}
	return []segment{{value: true}}
}

var docSpacesRE = regexp.MustCompile(`\s+`)

func normalizeSpaces(s string) string { return docSpacesRE.ReplaceAllString(s, " ") }

// newTemplate merges the segments into parts; nil when the string has too
// little fixed text to say anything.
func newTemplate(where string, segs []segment) *msgTemplate {
	var parts []string
	cur, fixed := "", 0
	for _, s := range segs {
		if s.value {
			parts = append(parts, cur)
			cur = ""
			continue
		}
		cur += s.lit
	}
	parts = append(parts, cur)
	var kept []string
	for _, p := range parts {
		p = strings.TrimSpace(normalizeSpaces(p))
		fixed += len(strings.ReplaceAll(p, " ", ""))
		kept = append(kept, p)
	}
	if fixed < 10 {
		return nil
	}
	var nonEmpty []string
	for _, p := range kept {
		if p != "" {
			nonEmpty = append(nonEmpty, p)
		}
	}
	return &msgTemplate{where: where, parts: nonEmpty, text: strings.Join(kept, "\x00")}
}

// quoted is a message quoted in the docs.
type quoted struct {
	where   string // file:line
	summary string // a diagnostic's, "" for an inline span
	pieces  []string
}

var (
	fenceRE       = regexp.MustCompile("^\\s*```\\s*([A-Za-z-]*)")
	diagRE        = regexp.MustCompile(`^(?:[│|]\s?)?(Error|Warning): (.+)$`)
	cliContextRE  = regexp.MustCompile(`^\s*(with \S+,|on \S+ line \d+.*:|\d+:.*)$`)
	boxRE         = regexp.MustCompile(`^[│╷╵|]\s?`)
	placeholderRE = regexp.MustCompile(`<[^<>]*>|\.\.\.|…`)
	inlineRE      = regexp.MustCompile("`([^`]+)`")
)

// outputLanguages are the fences whose blocks show what the CLI prints.
var outputLanguages = map[string]bool{"": true, "text": true, "console": true, "shell-session": true}

// quotedMessages extracts the quoted messages of one Markdown file.
func quotedMessages(name, content string) []quoted {
	var out []quoted
	var cur *quoted
	var body []string
	flush := func() {
		if cur == nil {
			return
		}
		cur.pieces = append(cur.pieces, splitPlaceholders(strings.Join(body, "\n"))...)
		out = append(out, *cur)
		cur, body = nil, nil
	}
	// Prose is read by paragraph: a code span may be wrapped across lines.
	var para []string
	paraWhere := ""
	endParagraph := func() {
		for _, m := range inlineRE.FindAllStringSubmatch(normalizeSpaces(strings.Join(para, " ")), -1) {
			if readsAsMessage(m[1]) {
				out = append(out, quoted{where: paraWhere, pieces: []string{m[1]}})
			}
		}
		para = nil
	}
	inFence, lang := false, ""
	for i, line := range strings.Split(content, "\n") {
		where := name + ":" + strconv.Itoa(i+1)
		if m := fenceRE.FindStringSubmatch(line); m != nil {
			endParagraph()
			if inFence {
				flush()
				inFence = false
			} else {
				inFence, lang = true, strings.ToLower(m[1])
			}
			continue
		}
		if !inFence {
			if strings.TrimSpace(line) == "" {
				endParagraph()
			} else {
				if len(para) == 0 {
					paraWhere = where
				}
				para = append(para, line)
			}
			continue
		}
		if !outputLanguages[lang] {
			continue
		}
		if m := diagRE.FindStringSubmatch(line); m != nil {
			flush()
			cur = &quoted{where: where, summary: strings.TrimSpace(m[2])}
			continue
		}
		if cur == nil {
			continue
		}
		line = boxRE.ReplaceAllString(line, "")
		if cliContextRE.MatchString(line) {
			continue
		}
		body = append(body, line)
	}
	flush()
	endParagraph()
	return out
}

// splitPlaceholders cuts a quoted text at its elisions and placeholders.
func splitPlaceholders(s string) []string {
	var out []string
	for _, p := range placeholderRE.Split(s, -1) {
		if p = strings.TrimSpace(normalizeSpaces(p)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var lowerWordRE = regexp.MustCompile(`\b[a-z]{3,}\b`)

func readsAsMessage(span string) bool {
	words := strings.Fields(span)
	if len(words) < 4 || span[0] < 'A' || span[0] > 'Z' || !lowerWordRE.MatchString(span) {
		return false
	}
	switch words[0] {
	case "GET", "POST", "PUT", "DELETE":
		return false
	}
	return true
}

// uncovered returns the runs of text (one piece of a quote, between its
// elisions) that no string's fixed part covers and that are not values. A
// fixed part covers where it occurs; at the piece's ends, where the quote
// elides, a part's beginning may end the piece and a part's end begin it.
func uncovered(text string, tms []*msgTemplate) []string {
	covered := make([]bool, len(text))
	cover := func(from, to int) {
		for i := from; i < to; i++ {
			covered[i] = true
		}
	}
	for _, tm := range tms {
		for _, part := range tm.parts {
			if nonSpace(part) < 3 {
				continue
			}
			for off := 0; ; {
				i := strings.Index(text[off:], part)
				if i < 0 {
					break
				}
				cover(off+i, off+i+len(part))
				off += i + len(part)
			}
			if nonSpace(part) < 12 {
				continue
			}
			for n := len(part) - 1; n >= 12; n-- {
				if strings.HasSuffix(text, part[:n]) {
					cover(len(text)-n, len(text))
					break
				}
			}
			for n := len(part) - 1; n >= 12; n-- {
				if strings.HasPrefix(text, part[len(part)-n:]) {
					cover(0, n)
					break
				}
			}
		}
	}
	var runs []string
	start := -1
	for i := 0; i <= len(text); i++ {
		if i < len(text) && !covered[i] {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if r := strings.TrimSpace(text[start:i]); !isValues(r) {
				runs = append(runs, r)
			}
			start = -1
		}
	}
	return runs
}

var punctuation = ".,:;()[]{}\"'`"

// isValues: a run that holds no prose: values (a host, an id, an address,
// name = value lines) and at most one plain word (an attribute's name).
func isValues(run string) bool {
	plain := 0
	for _, w := range strings.Fields(run) {
		if w = strings.Trim(w, punctuation); w != "" && !strings.ContainsAny(w, "_.=/0123456789<>{}\"") {
			plain++
		}
	}
	return plain <= 1
}

// checkQuoted returns what is wrong with q: "" when the sources say it.
func checkQuoted(q quoted, tms []*msgTemplate) string {
	if q.summary == "" {
		pat, err := regexp.Compile(strings.Join(inlinePattern(q.pieces[0]), ".*?"))
		if err != nil {
			return err.Error()
		}
		for _, tm := range tms {
			if pat.MatchString(normalizeSpaces(strings.ReplaceAll(tm.text, "\x00", " \x00 "))) {
				return ""
			}
		}
		return "no string of the sources says `" + q.pieces[0] + "`"
	}
	if _, ok := otherProgramsMessages[q.summary]; ok {
		return ""
	}
	var problems []string
	for _, text := range append([]string{q.summary}, q.pieces...) {
		for _, r := range uncovered(text, tms) {
			problems = append(problems, strconv.Quote(r))
		}
	}
	if len(problems) == 0 {
		return ""
	}
	return "the provider does not say " + strings.Join(problems, ", ")
}

// inlinePattern is a span's parts between its elisions and placeholders,
// quoted.
func inlinePattern(span string) []string {
	var out []string
	for _, p := range splitPlaceholders(span) {
		out = append(out, regexp.QuoteMeta(p))
	}
	return out
}

func nonSpace(s string) int { return len(strings.ReplaceAll(s, " ", "")) }

// docFiles are the Markdown files of templates/ and docs/.
func docFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"../../templates", "../../docs"} {
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".md.tmpl")) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// Every message that templates/ and docs/ quote is one the provider (or, for
// Immuta's own words, the emulator) says.
func TestDocsQuoteTheProvidersMessages(t *testing.T) {
	t.Parallel()
	tms := sourceTemplates(t, sourceDirs)
	checked := map[string]int{}
	for _, f := range docFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(f, "../../")
		for _, q := range quotedMessages(name, string(b)) {
			checked[name]++
			what := q.summary
			if what == "" {
				what = "`" + q.pieces[0] + "`"
			}
			t.Logf("%s: %s", q.where, what)
			if p := checkQuoted(q, tms); p != "" {
				t.Errorf("%s quotes %s, but %s", q.where, what, p)
			}
		}
	}
	// The rule must find what the guides quote, or it checks nothing.
	for _, f := range []string{"templates/guides/import-existing.md.tmpl", "templates/guides/import-at-scale.md.tmpl", "docs/guides/import-existing.md"} {
		if checked[f] == 0 {
			t.Errorf("no quoted message found in %s: the extraction rule no longer matches the guides", f)
		}
	}
}

// The check itself: the duplicate-host error as the import guide quoted it
// before (issue 20, item 4) is refused; the provider's own text, as the CLI
// prints it, passes; so does an elided quote.
func TestDocsQuoteTheProvidersMessages_catchesDrift(t *testing.T) {
	t.Parallel()
	tms := sourceTemplates(t, sourceDirs)
	stale := "```text\nError: Redshift integration already exists\n\nImmuta already has a Redshift integration on host\n" +
		"acme.abc123.us-east-1.redshift.amazonaws.com (id = 123456789), and allows one per\n" +
		"host. To manage it with Terraform, adopt it instead of creating a new one:\n\n" +
		"import {\n  to = immuta_redshift_integration.<name of this resource>\n  id = \"123456789\"\n}\n```\n"
	current := "```text\nError: Missing credentials\n\n  with immuta_redshift_integration.all_0,\n" +
		"  on imports.tf line 29, in resource \"immuta_redshift_integration\" \"all_0\":\n  29:   username = null\n\n" +
		"authentication_type = \"userPassword\" needs credentials, and Immuta never\nreturns them: an imported integration, and the configuration that\n" +
		"-generate-config-out writes for it, have none. Add these lines to this\n...\n```\n"
	for _, c := range []struct {
		name, doc string
		ok        bool
	}{
		{"stale duplicate-host error", stale, false},
		{"a current error, elided", current, true},
		{"an invented inline message", "It fails with `Redshift integration is on fire and cannot be used`.", false},
		{"Immuta's 409 inline", "Immuta answers `Redshift integration already exists on host <host> (id = <id>)`.", true},
	} {
		qs := quotedMessages(c.name, c.doc)
		if len(qs) != 1 {
			t.Errorf("%s: %d quoted messages found, want 1", c.name, len(qs))
			continue
		}
		if p := checkQuoted(qs[0], tms); (p == "") != c.ok {
			t.Errorf("%s: checkQuoted = %q, want ok = %v", c.name, p, c.ok)
		}
	}
}
