package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// EachIntegration streams GET /integrations: the array is decoded element by element
// from the wire, each handed to visit and then dropped, so a tenant with 100 000
// integrations of other types costs one element's memory and no size limit. The list
// is retried as a whole when it fails on the way (cut short, an HTML page); reset is
// called before every attempt so that visit starts afresh.
func (c *Client) EachIntegration(ctx context.Context, reset func(), visit func(*Integration)) error {
	const what = "GET /integrations"
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/integrations", stream: func(r io.Reader) error {
		reset()
		return decodeList(r, what, visit)
	}})
	return err
}

func decodeList(r io.Reader, what string, visit func(*Integration)) error {
	return decodeElements(r, what, func(dec *json.Decoder) error {
		var in Integration
		if err := dec.Decode(&in); err != nil {
			return err
		}
		visit(&in)
		return nil
	})
}

// decodeElements reads a JSON array from r, handing the decoder to elem once per
// element; elem decodes that element (list_skim.go skims some).
func decodeElements(r io.Reader, what string, elem func(*json.Decoder) error) error {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return listError(what, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("%s: the answer is not a JSON array (it starts with %v)", what, describeToken(tok))
	}
	n := 0
	for dec.More() {
		if err := elem(dec); err != nil {
			return listError(what, fmt.Errorf("element %d: %w", n, err))
		}
		n++
	}
	if _, err := dec.Token(); err != nil {
		return listError(what, err)
	}
	return nil
}

func listError(what string, err error) error {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s: the answer ends before the list does (truncated?)", what)
	case errors.As(err, &se):
		return fmt.Errorf("%s: the answer is not valid JSON (an HTML page or a cut answer?): %v", what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return string(t)
	case string:
		return "a string"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
}
