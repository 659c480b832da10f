package main

import (
	"fmt"
	"io"
	"strings"
)

// completionCmd returns the completion command. It is a function, not a
// variable like the others, because its script lists every command: as a
// variable it would take part in its own initialization.
func completionCmd() *command {
	return &command{
		name:     "completion",
		synopsis: "bash|zsh|fish",
		summary:  "print a shell completion script",
		run:      runCompletion,
		help: `Completion prints a script that completes extlink's commands, their flags,
check's questions, -format's values and file names, for bash, zsh or fish.

Examples, to install it: for bash (in ~/.bashrc):
  source <(extlink completion bash)
for zsh (in ~/.zshrc, after compinit):
  source <(extlink completion zsh)
for fish:
  extlink completion fish > ~/.config/fish/completions/extlink.fish

Exit status: 0, or 2 for an unknown shell.
`,
	}
}

// worldFlags are the flags of every command that reads a world.
var worldFlags = []string{"-world", "-db"}

// commandFlags lists each command's flags, for completion; TestCompletion
// checks them against the commands' help and flag sets.
func commandFlags() map[string][]string {
	return map[string][]string{
		"demo":       nil,
		"check":      append([]string{"-group", "-room", "-batch", "-format", "-json"}, worldFlags...),
		"plan":       append([]string{"-no-groups", "-format", "-json"}, worldFlags...),
		"audit":      append([]string{"-max-steps", "-no-groups", "-progress", "-format", "-json"}, worldFlags...),
		"whatif":     append([]string{"-change", "-users", "-tenant", "-max-steps", "-no-groups", "-progress", "-format", "-json"}, worldFlags...),
		"validate":   append([]string{"-format", "-json"}, worldFlags...),
		"import":     worldFlags,
		"export":     []string{"-db"},
		"test":       worldFlags,
		"init":       nil,
		"version":    nil,
		"completion": nil,
	}
}

// formats lists each command's -format values.
var formats = map[string]string{
	"check": "text json", "plan": "text json mermaid dot", "audit": "text json csv",
	"whatif": "text json", "validate": "text json",
}

func runCompletion(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stdout, c.usage())
		return exitOK
	}
	if len(args) != 1 {
		return c.usageError(stderr, "need one shell: bash, zsh or fish")
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	names = append(names, "help")
	var questions []string
	for _, q := range questionSpecs {
		questions = append(questions, q.name)
	}
	flags := commandFlags()
	switch args[0] {
	case "bash", "zsh":
		var b strings.Builder
		if args[0] == "zsh" {
			b.WriteString("#compdef extlink\nautoload -U +X bashcompinit && bashcompinit\n")
		}
		fmt.Fprintf(&b, `# extlink completion for %s: source <(extlink completion %s)
_extlink() {
    local cur prev cmd
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    cmd="${COMP_WORDS[1]}"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "%s --version" -- "$cur"))
        return
    fi
    case "$prev" in
        -world|-db) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        -format)
            case "$cmd" in
`, args[0], args[0], strings.Join(names, " "))
		for _, c := range commands() {
			if f := formats[c.name]; f != "" {
				fmt.Fprintf(&b, "                %s) COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", c.name, f)
			}
		}
		b.WriteString(`            esac
            return ;;
    esac
    case "$cmd" in
`)
		for _, c := range commands() {
			words := strings.Join(flags[c.name], " ")
			if c.name == "check" {
				words += " " + strings.Join(questions, " ")
			}
			fmt.Fprintf(&b, "        %s) COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", c.name, strings.TrimSpace(words))
		}
		fmt.Fprintf(&b, "        help) COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", strings.Join(append(names[:len(names)-1:len(names)-1], "world"), " "))
		b.WriteString(`    esac
    case "$cmd" in
        test|init) COMPREPLY+=($(compgen -f -- "$cur")) ;;
    esac
}
complete -F _extlink extlink
`)
		io.WriteString(stdout, b.String())
	case "fish":
		var b strings.Builder
		b.WriteString("# extlink completion for fish: extlink completion fish > ~/.config/fish/completions/extlink.fish\n")
		b.WriteString("complete -c extlink -f\n")
		for _, c := range commands() {
			fmt.Fprintf(&b, "complete -c extlink -n __fish_use_subcommand -a %s -d %q\n", c.name, c.summary)
		}
		b.WriteString("complete -c extlink -n __fish_use_subcommand -a help -d \"show the help of extlink, a command or world\"\n")
		for _, c := range commands() {
			for _, f := range flags[c.name] {
				arg := ""
				switch f {
				case "-world", "-db":
					arg = " -r -F"
				case "-format":
					arg = fmt.Sprintf(" -x -a %q", formats[c.name])
				case "-group", "-room", "-change", "-users", "-tenant", "-max-steps":
					arg = " -x"
				}
				fmt.Fprintf(&b, "complete -c extlink -n '__fish_seen_subcommand_from %s' -o %s%s\n", c.name, f[1:], arg)
			}
		}
		fmt.Fprintf(&b, "complete -c extlink -n '__fish_seen_subcommand_from check' -a '%s'\n", strings.Join(questions, " "))
		b.WriteString("complete -c extlink -n '__fish_seen_subcommand_from test init' -F\n")
		fmt.Fprintf(&b, "complete -c extlink -n '__fish_seen_subcommand_from help' -a %q\n", strings.Join(append(names[:len(names)-1:len(names)-1], "world"), " "))
		io.WriteString(stdout, b.String())
	default:
		return c.usageError(stderr, "unknown shell %q (want bash, zsh or fish)", args[0])
	}
	return exitOK
}
