package provider

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// workDir finds the working directory that terraform-plugin-testing made for
// the running step: the one whose configuration holds marker (a test's own
// emulator URL and host, unique on the machine). The harness does not expose
// it, and the raw state and plan files live only there.
func workDir(marker string) (string, error) {
	base := os.Getenv("TF_ACC_TEMP_DIR")
	if base == "" {
		base = os.TempDir()
	}
	cfgs, _ := filepath.Glob(filepath.Join(base, "plugintest*", "work*", "terraform_plugin_test.tf"))
	var found []string
	for _, cfg := range cfgs {
		if b, err := os.ReadFile(cfg); err == nil && bytes.Contains(b, []byte(marker)) {
			found = append(found, filepath.Dir(cfg))
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("%d working directories under %s hold %q, want 1", len(found), base, marker)
	}
	return found[0], nil
}

// base64Run is a run of base64 that may hide an encoded value.
var base64Run = regexp.MustCompile(`[A-Za-z0-9+/_-]{8,}={0,2}`)

// findSecrets returns where in data each secret appears: as it is, as base64 of
// itself, or inside any base64 in data (decoded, up to three levels deep, as
// private state nests JSON in base64 in JSON).
func findSecrets(what string, data []byte, secrets map[string]string) []string {
	var found []string
	var search func(where string, b []byte, depth int)
	search = func(where string, b []byte, depth int) {
		for name, s := range secrets {
			if s == "" {
				continue
			}
			for i, form := range []string{s, base64.StdEncoding.EncodeToString([]byte(s)), base64.RawStdEncoding.EncodeToString([]byte(s))} {
				if bytes.Contains(b, []byte(form)) {
					found = append(found, fmt.Sprintf("%s holds the %s%s", where, name, []string{"", " as base64", " as unpadded base64"}[i]))
					break
				}
			}
		}
		if depth == 0 {
			return
		}
		for _, run := range base64Run.FindAll(b, -1) {
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
				if dec, err := enc.DecodeString(string(run)); err == nil {
					search(where+" (base64-decoded)", dec, depth-1)
					break
				}
			}
		}
	}
	search(what, data, 3)
	return found
}

// stateFileLeaks reads the whole state file of dir, private data included; it
// also says how many resource instances hold private data.
func stateFileLeaks(dir string, secrets map[string]string) (leaks []string, privates int, err error) {
	raw, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		return nil, 0, err
	}
	var st struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Private string `json:"private"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return nil, 0, fmt.Errorf("state file: %w", err)
	}
	// Private data is base64 in the file; findSecrets decodes it.
	for _, r := range st.Resources {
		for _, in := range r.Instances {
			if in.Private != "" {
				privates++
				if _, err := base64.StdEncoding.DecodeString(in.Private); err != nil {
					return nil, 0, fmt.Errorf("private data of a %s is not base64: %w", r.Type, err)
				}
			}
		}
	}
	return findSecrets("terraform.tfstate", raw, secrets), privates, nil
}

// planFileLeaks reads the saved plan file of dir, every entry but the
// configuration's source (which holds what the user wrote, as they wrote it).
func planFileLeaks(dir string, secrets map[string]string) ([]string, error) {
	zr, err := zip.OpenReader(filepath.Join(dir, "tfplan"))
	if err != nil {
		return nil, fmt.Errorf("saved plan: %w", err)
	}
	defer zr.Close()
	var found []string
	read := 0
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "tfconfig/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		read++
		found = append(found, findSecrets("tfplan:"+f.Name, b, secrets)...)
	}
	if read == 0 {
		return nil, fmt.Errorf("the saved plan has no entries besides the configuration")
	}
	return found, nil
}
