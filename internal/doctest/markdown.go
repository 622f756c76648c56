package doctest

import (
	"fmt"
	"regexp"
	"strings"
)

// Block is one ```go block of a Markdown file.
type Block struct {
	File string // the Markdown file
	Line int    // the line of the opening fence, 1-based
	Code string
	// Annotation is the text of a `<!-- doctest: ... -->` comment on the
	// line just before the fence (blank lines allowed), or "".
	Annotation string
}

// Where names the block for messages.
func (b Block) Where() string { return fmt.Sprintf("%s:%d", b.File, b.Line) }

// Doc is what one Markdown file holds for the checker.
type Doc struct {
	Blocks []Block
	// Scope is the Go declarations of the file's doctest-scope comments.
	Scope string
}

var annotation = regexp.MustCompile(`^<!--\s*doctest:\s*(.*?)\s*-->$`)

// Parse extracts the Go blocks and the scope of a Markdown file.
func Parse(name, text string) (Doc, error) {
	var doc Doc
	lines := strings.Split(text, "\n")
	pending := ""
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		switch {
		case line == "<!-- doctest-scope":
			end := i + 1
			for end < len(lines) && strings.TrimSpace(lines[end]) != "-->" {
				end++
			}
			if end == len(lines) {
				return doc, fmt.Errorf("%s:%d: doctest-scope is not closed", name, i+1)
			}
			doc.Scope += strings.Join(lines[i+1:end], "\n") + "\n"
			i = end
		case annotation.MatchString(line):
			pending = annotation.FindStringSubmatch(line)[1]
		case line == "```go":
			end := i + 1
			for end < len(lines) && strings.TrimSpace(lines[end]) != "```" {
				end++
			}
			if end == len(lines) {
				return doc, fmt.Errorf("%s:%d: code block is not closed", name, i+1)
			}
			doc.Blocks = append(doc.Blocks, Block{
				File: name, Line: i + 1, Annotation: pending,
				Code: strings.Join(lines[i+1:end], "\n") + "\n",
			})
			pending = ""
			i = end
		case line != "":
			pending = "" // an annotation applies to the very next block only
		}
	}
	return doc, nil
}
