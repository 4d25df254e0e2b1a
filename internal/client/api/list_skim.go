package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// EachRedshift streams GET /integrations like EachIntegration, but decodes in full
// only the elements that may be Redshift integrations: the others are skimmed (read
// as raw JSON, their top-level "type" peeked at) and only counted. It returns how
// many elements the list held, every type counted, for the lister's size rule (client/lister.go).
//
// Why: the waits' shared looks, the refreshes' shared reads, a create's host
// snapshot and the lookups by host use only the Redshift entries, and in a tenant
// whose list also holds 100 000 integrations of other types, decoding each in full
// (Integration.UnmarshalJSON decodes twice, allocating its validation results and
// config) cost about 2.4 s of a 4 s list on the bench machine, most of the price of
// the one snapshot an apply cannot do without (client/create.go, hostsBefore). Skimming keeps the
// evidence rule: an element whose type cannot be read plainly (no top-level
// "type", a key or value with escapes, "type" twice, a non-string type) is decoded
// in full as before, so only an element that plainly says it is of another type is
// skipped; and an element that is not valid JSON still fails the list, since the
// decoder validates the raw element.
func (c *Client) EachRedshift(ctx context.Context, reset func(), visit func(*Integration)) (int, error) {
	const what = "GET /integrations"
	total := 0
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/integrations", stream: func(r io.Reader) error {
		reset()
		total = 0
		return decodeElements(r, what, func(dec *json.Decoder) error {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return err
			}
			total++
			if typ, ok := peekType(raw); ok && !strings.EqualFold(typ, TypeRedshift) {
				return nil
			}
			var in Integration
			if err := json.Unmarshal(raw, &in); err != nil {
				return err
			}
			visit(&in)
			return nil
		})
	}})
	return total, err
}

// peekType returns the value of the top-level "type" key of raw, a JSON value the
// decoder has already validated, when it is a plain string (no escapes) named once;
// ok is false in every other case, and the caller then decodes raw in full.
func peekType(raw []byte) (typ string, ok bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return "", false
	}
	found := false
	depth := 0
	for i < len(raw) {
		switch b := raw[i]; b {
		case '{', '[':
			depth++
			i++
		case '}', ']':
			depth--
			i++
		case '"':
			end, plain := stringEnd(raw, i)
			if end < 0 {
				return "", false
			}
			isKey := depth == 1 && byteAt(raw, skipSpace(raw, end)) == ':'
			if isKey && plain && string(raw[i+1:end-1]) == "type" {
				if found {
					return "", false // "type" twice: let the full decode decide
				}
				v := skipSpace(raw, skipSpace(raw, end)+1)
				if v >= len(raw) || raw[v] != '"' {
					return "", false
				}
				vend, vplain := stringEnd(raw, v)
				if vend < 0 || !vplain {
					return "", false
				}
				typ, found = string(raw[v+1:vend-1]), true
				i = vend
				continue
			}
			if isKey && !plain {
				return "", false // an escaped key might spell "type"
			}
			i = end
		default:
			i++
		}
	}
	return typ, found
}

// stringEnd returns the index just past the JSON string starting at raw[i] (a
// quote), and whether it holds no escapes; -1 when it does not end.
func stringEnd(raw []byte, i int) (int, bool) {
	plain := true
	for j := i + 1; j < len(raw); j++ {
		switch raw[j] {
		case '\\':
			plain = false
			j++
		case '"':
			return j + 1, plain
		}
	}
	return -1, false
}

func skipSpace(raw []byte, i int) int {
	for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r') {
		i++
	}
	return i
}

func byteAt(raw []byte, i int) byte {
	if i < len(raw) {
		return raw[i]
	}
	return 0
}
