package emulator

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func (s *Server) apiRoutes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /integrations", s.handleCreate)
	mux.HandleFunc("GET /integrations", s.handleList)
	mux.HandleFunc("GET /integrations/{id}", s.handleGet)
	mux.HandleFunc("PUT /integrations/{id}", s.handleUpdate)
	mux.HandleFunc("DELETE /integrations/{id}", s.handleDelete)
	mux.HandleFunc("GET /integrations/{id}/status", s.handleStatus)
	mux.HandleFunc("POST /integrations/scripts/create", s.payloadScript(createScript))
	mux.HandleFunc("POST /integrations/scripts/initial-create", s.payloadScript(initialCreateScript))
	mux.HandleFunc("POST /integrations/scripts/cleanup", s.payloadScript(cleanupScript))
	mux.HandleFunc("POST /integrations/{id}/scripts/edit", s.handleEditScript)
	mux.HandleFunc("POST /integrations/{id}/scripts/delete", s.handleDeleteScript)
	mux.HandleFunc("/", s.handleUnmatched)
	return mux
}

func (s *Server) authorize(r *http.Request) *apiErr {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if h == "" {
		return newErr(http.StatusUnauthorized, "Missing authentication")
	}
	key := h
	if len(h) > len("Bearer ") && strings.EqualFold(h[:len("Bearer ")], "Bearer ") {
		key = strings.TrimSpace(h[len("Bearer "):])
	}
	if subtle.ConstantTimeCompare([]byte(key), []byte(s.cfg.apiKey)) == 1 {
		return nil
	}
	if s.cfg.unprivilegedKey != "" && subtle.ConstantTimeCompare([]byte(key), []byte(s.cfg.unprivilegedKey)) == 1 {
		return newErr(http.StatusForbidden, "User does not have the APPLICATION_ADMIN permission")
	}
	return newErr(http.StatusUnauthorized, "Invalid API key")
}

// wireID renders an id as the configured JSON type.
func (s *Server) wireID(id string) any {
	if s.cfg.numericIDs {
		if _, err := strconv.ParseInt(id, 10, 64); err == nil {
			return json.Number(id)
		}
	}
	return id
}

// Field order follows the documentation's examples.
type integrationJSON struct {
	ID                any               `json:"id"`
	Status            string            `json:"status"`
	ValidationResults ValidationResults `json:"validationResults"`
	Type              string            `json:"type"`
	AutoBootstrap     bool              `json:"autoBootstrap"`
	Config            map[string]any    `json:"config"`
}

type statusJSON struct {
	ID                any               `json:"id"`
	Status            string            `json:"status"`
	ValidationResults ValidationResults `json:"validationResults"`
}

func (s *Server) fullAnswer(in Integration) integrationJSON {
	return integrationJSON{
		ID:                s.wireID(in.ID),
		Status:            in.Status,
		ValidationResults: in.ValidationResults,
		Type:              in.Type,
		AutoBootstrap:     in.AutoBootstrap,
		Config:            redactedConfig(in.Config),
	}
}

func (s *Server) statusAnswer(in Integration) statusJSON {
	return statusJSON{ID: s.wireID(in.ID), Status: in.Status, ValidationResults: in.ValidationResults}
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	s.stats.createPost()
	p, e := readPayload(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	s.normaliseNames(p)
	in, e := s.store.create(p, time.Now())
	if e != nil {
		writeError(w, e)
		return
	}
	s.stats.creation()
	writeJSON(w, http.StatusOK, s.statusAnswer(in))
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	all := s.store.list(time.Now(), true)
	out := make([]integrationJSON, 0, len(all))
	for _, in := range all {
		out = append(out, s.fullAnswer(in))
	}
	if !s.pause(r, s.cfg.listDelay) { // WithListDelay: the answer grows stale
		panic(http.ErrAbortHandler)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	in, ok := s.store.get(id, time.Now(), true)
	if !ok {
		writeError(w, errNotFoundGet(id))
		return
	}
	writeJSON(w, http.StatusOK, s.fullAnswer(in))
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	in, ok := s.store.get(id, time.Now(), true)
	if !ok {
		writeError(w, errNotFoundGet(id))
		return
	}
	writeJSON(w, http.StatusOK, s.statusAnswer(in))
}

func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request) {
	p, e := readPayload(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	s.normaliseNames(p)
	in, e := s.store.update(r.PathValue("id"), p, time.Now())
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, s.statusAnswer(in))
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	body, present, e := readBody(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	in, e := s.store.remove(r.PathValue("id"), body, present, time.Now())
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, s.statusAnswer(in))
}

func (s *Server) payloadScript(gen func(map[string]any) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, e := readPayload(w, r)
		if e != nil {
			writeError(w, e)
			return
		}
		s.writeScript(w, gen(p.config))
	}
}

// liveRedshift finds the integration a script is about.
func (s *Server) liveRedshift(id string) (Integration, *apiErr) {
	in, ok := s.store.live(id, time.Now())
	if !ok {
		return Integration{}, errNotFoundGet(id)
	}
	if in.Type != typeRedshift {
		return Integration{}, badRequest("Integration with ID %s is of type %s, not %s.", id, in.Type, typeRedshift)
	}
	return in, nil
}

func (s *Server) handleEditScript(w http.ResponseWriter, r *http.Request) {
	p, e := readPayload(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	in, e := s.liveRedshift(r.PathValue("id"))
	if e != nil {
		writeError(w, e)
		return
	}
	s.writeScript(w, editScript(in.Config, p.config))
}

func (s *Server) handleDeleteScript(w http.ResponseWriter, r *http.Request) {
	// The endpoint takes no payload; whatever comes is ignored.
	_, _ = io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, maxBodyBytes))
	in, e := s.liveRedshift(r.PathValue("id"))
	if e != nil {
		writeError(w, e)
		return
	}
	s.writeScript(w, deleteScript(in.Config))
}

// handleUnmatched answers 405 when the path exists under another method,
// else 404, both in the API's error shape.
func (s *Server) handleUnmatched(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := s.api.Handler(probe); p != "" && p != "/" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeError(w, newErr(http.StatusMethodNotAllowed, "Method Not Allowed"))
		return
	}
	writeError(w, newErr(http.StatusNotFound, "Not Found"))
}
