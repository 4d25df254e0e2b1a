package emulator

import "strings"

// normaliseNames applies WithNameNormalisation to a payload Immuta accepted.
func (s *Server) normaliseNames(p *payload) {
	if !s.cfg.normaliseNames {
		return
	}
	if h, ok := p.config["host"].(string); ok {
		p.config["host"] = strings.TrimSuffix(strings.ToLower(h), ".")
	}
	if d, ok := p.config["database"].(string); ok {
		p.config["database"] = strings.ToLower(d)
	}
	if imp, ok := p.config["impersonation"].(map[string]any); ok {
		if role, ok := imp["role"].(string); ok {
			imp["role"] = strings.ToLower(role)
		}
	}
}
