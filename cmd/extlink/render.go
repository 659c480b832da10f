package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text output is read by people and split by programs, so what a world
// file or a database supplies (display names, group names, e-mail
// addresses, and IDs, which R26 keeps free of control characters but not
// of line or paragraph separators, bidirectional controls or spaces) is
// written through these, never raw.

// safeText returns s as text output may show it: unchanged when it is
// valid UTF-8 of graphic runes only (letters, marks, numbers, punctuation,
// symbols and spaces such as U+3000), else as a Go string literal in which
// the other runes are escaped ("a\nb", "x\u2028y", "\u202eevil"), so that
// it cannot break a line, move the cursor, colour the terminal or reverse
// the text after it.
func safeText(s string) string {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) }) {
		return strconv.QuoteToGraphic(s)
	}
	return s
}

// word returns s as one word of a space-separated list: as safeText, and
// also quoted when it is empty or holds a space or a double quote, so that
// the list splits back into the same strings: a word that starts with a
// double quote is a Go string literal, any other holds no space.
func word(s string) string {
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r == '"' || unicode.IsSpace(r) }) {
		return strconv.QuoteToGraphic(s)
	}
	return safeText(s)
}

// words returns ss as words (see word) separated by single spaces.
func words(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = word(s)
	}
	return strings.Join(out, " ")
}

// safeList returns ss as listItem writes each, separated by ", ": the
// list splits back into the same strings as a -room or -users flag does
// (splitList).
func safeList(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = listItem(s)
	}
	return strings.Join(out, ", ")
}

// listItem returns s as an item of a comma-separated list: as safeText
// writes it, and also quoted when it holds a comma or a double quote,
// starts or ends with a space, or is empty.
func listItem(s string) string {
	if s == "" || strings.ContainsAny(s, `,"`) || strings.TrimSpace(s) != s {
		return strconv.QuoteToGraphic(s)
	}
	return safeText(s)
}

// escapeText returns a sentence the library wrote (a decision's text, a
// plan, a group) with every rune that is not graphic, and every byte of
// invalid UTF-8, replaced by its Go escape (\u2028, \x1b), in place and
// without quotes: the sentence stays readable, and an ID in it cannot
// break its line or reorder what follows.
func escapeText(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) && r != '\n' }) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r == '\n' || r != utf8.RuneError && unicode.IsGraphic(r) || r == utf8.RuneError && n == 3 {
			b.WriteString(s[:n])
		} else {
			q := strconv.QuoteToGraphic(s[:n])
			b.WriteString(q[1 : len(q)-1])
		}
		s = s[n:]
	}
	return b.String()
}

// splitWords splits s at runs of white space into words as word writes
// them: a word that starts with a double quote is a Go string literal
// ("me one"), and must end where the word does.
func splitWords(s string) ([]string, error) {
	var out []string
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			return out, nil
		}
		if s[0] == '"' {
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return nil, fmt.Errorf("unterminated or invalid quoted word %s", safeText(s))
			}
			w, _ := strconv.Unquote(q)
			s = s[len(q):]
			if r, _ := utf8.DecodeRuneInString(s); s != "" && !unicode.IsSpace(r) {
				return nil, fmt.Errorf("quoted word %s runs into %s", q, safeText(s))
			}
			out = append(out, w)
			continue
		}
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			end = len(s)
		}
		out, s = append(out, s[:end]), s[end:]
	}
}

// displayWidth returns how many terminal columns s takes: two for a wide
// East Asian character (kanji, kana, hangul, full-width forms), none for
// a combining mark, one for any other rune. It is an approximation of
// Unicode's East Asian Width, enough to keep tables of Japanese names in
// line.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case wide(r):
			n += 2
		default:
			n++
		}
	}
	return n
}

// wide reports whether r takes two terminal columns.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r >= 0x3000 && r <= 0x303F || // CJK symbols and punctuation, U+3000 included
		r >= 0xFF01 && r <= 0xFF60 || r >= 0xFFE0 && r <= 0xFFE6 // full-width forms
}

// pad returns s followed by spaces to make it width columns wide.
func pad(s string, width int) string {
	if n := width - displayWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}
