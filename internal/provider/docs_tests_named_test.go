package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README and the maintainers' pages prove their claims by naming tests. A
// test that is renamed or removed must take its claim with it: every test name
// they quote must be a test function of this repository.
func TestDocsNameTestsThatExist(t *testing.T) {
	root := repoRoot(t)
	defined := map[string]bool{}
	funcRe := regexp.MustCompile(`(?m)^func (Test[A-Za-z0-9_]+)\(`)
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range funcRe.FindAllSubmatch(b, -1) {
			defined[string(m[1])] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := filepath.Glob(filepath.Join(root, "maintainers", "*.md"))
	docs = append(docs, filepath.Join(root, "README.md"), filepath.Join(root, "CONTRIBUTING.md"))
	nameRe := regexp.MustCompile("`(Test[A-Za-z0-9_]+)")
	quoted := 0
	for _, doc := range docs {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range nameRe.FindAllSubmatch(b, -1) {
			quoted++
			if name := string(m[1]); !defined[name] {
				rel, _ := filepath.Rel(root, doc)
				t.Errorf("%s names %s, which is no test of this repository", rel, name)
			}
		}
	}
	if quoted < 20 {
		t.Errorf("found only %d quoted test names in the docs: is the pattern still right?", quoted)
	}
}
