package main

import (
	"maps"
	"testing"
)

func TestQuietUnreadLogs(t *testing.T) {
	off := map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF", "TF_LOG_PROVIDER_IMMUTA": "OFF"}
	cases := []struct {
		name  string
		debug bool
		env   map[string]string
		want  map[string]string
	}{
		{"nobody reads the logs", false, map[string]string{}, off},
		{"TF_LOG set: the CLI keeps the lines", false, map[string]string{"TF_LOG": "debug"}, map[string]string{"TF_LOG": "debug"}},
		{"TF_LOG_PROVIDER set", false, map[string]string{"TF_LOG_PROVIDER": "TRACE"}, map[string]string{"TF_LOG_PROVIDER": "TRACE"}},
		{"-debug: the logs go to the user's terminal", true, map[string]string{}, map[string]string{}},
		{"a level the user chose stays", false, map[string]string{"TF_LOG_SDK_PROTO": "ERROR"},
			map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "ERROR", "TF_LOG_SDK_FRAMEWORK": "OFF", "TF_LOG_PROVIDER_IMMUTA": "OFF"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := maps.Clone(tc.env)
			quietUnreadLogs(tc.debug, func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
			if !maps.Equal(env, tc.want) {
				t.Errorf("environment %v, want %v", env, tc.want)
			}
		})
	}
}
