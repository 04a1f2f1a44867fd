// Shell completion scripts (bash, zsh, fish) generated from the command tree: commands, flags, and
// the values of flags and arguments with fixed choices. Profile names are asked of `tokens` itself.
import type { CommandDefinition } from './define.js';
import type { OptionDecl } from './options.js';
import { GLOBAL_OPTIONS } from './shared-options.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

interface Flag {
  names: string[];
  description: string;
  takesValue: boolean;
  choices: readonly string[];
}

interface Node {
  /** Space-separated command path; "" for the root. */
  path: string;
  subcommands: { name: string; summary: string }[];
  flags: Flag[];
  argChoices: readonly string[];
}

function flagOf(o: OptionDecl<unknown>): Flag {
  const names = o.flags.split(/[ ,|]+/).filter((w) => w.startsWith('-'));
  return { names, description: o.description, takesValue: /[<[]/.test(o.flags), choices: o.choices ?? [] };
}

function flatten(defs: CommandDefinition[]): Node[] {
  const nodes: Node[] = [{ path: '', subcommands: defs.map((d) => ({ name: d.name, summary: d.summary })), flags: [], argChoices: [] }];
  const walk = (def: CommandDefinition, prefix: string) => {
    const path = prefix ? `${prefix} ${def.name}` : def.name;
    nodes.push({
      path,
      subcommands: def.subcommands.map((s) => ({ name: s.name, summary: s.summary })),
      flags: [...Object.values(def.options).filter((o) => !o.hidden).map(flagOf), { names: ['-h', '--help'], description: 'show help', takesValue: false, choices: [] }],
      argChoices: Object.values(def.arguments).flatMap((a) => a.choices ?? []),
    });
    for (const sub of def.subcommands) walk(sub, path);
  };
  for (const def of defs) walk(def, '');
  return nodes;
}

const GLOBAL_FLAGS = [...Object.values(GLOBAL_OPTIONS).map(flagOf), { names: ['-h', '--help'], description: 'show help', takesValue: false, choices: [] }, { names: ['-V', '--version'], description: 'show the version', takesValue: false, choices: [] }];
const HEADER = (shell: Shell) => `# ${shell} completion for tokens: generated from the command tree by scripts/build.mjs; do not edit.`;

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Shared case arms: which flags take a value at which path, and their fixed values. */
function valueFlagCases(nodes: Node[]): { takes: string[]; values: [string, readonly string[]][] } {
  const takes = GLOBAL_FLAGS.filter((f) => f.takesValue).flatMap((f) => f.names.map((n) => `*|${n}`));
  const values: [string, readonly string[]][] = [];
  for (const node of nodes) {
    for (const flag of node.flags.filter((f) => f.takesValue)) {
      for (const name of flag.names) {
        takes.push(`${node.path}|${name}`);
        if (flag.choices.length) values.push([`${node.path}|${name}`, flag.choices]);
      }
    }
  }
  return { takes, values };
}

/** Which flags take a value, as a shell function; bash and zsh read the same case syntax. */
function takesValueFunction(takes: string[]): string {
  const patterns = takes.map((t) => (t.startsWith('*') ? `*${sq(t.slice(1))}` : sq(t))).join('|');
  return `_tokens_takes_value() {\n  case "$1|$2" in\n    ${patterns}) return 0 ;;\n  esac\n  return 1\n}`;
}

function bash(nodes: Node[]): string {
  const { takes, values } = valueFlagCases(nodes);
  const globals = GLOBAL_FLAGS.flatMap((f) => f.names).join(' ');
  return `${HEADER('bash')}
# Load with: source <(tokens completion bash)   or copy to /etc/bash_completion.d/tokens

_tokens_subcommands() {
  case "$1" in
${nodes.filter((n) => n.subcommands.length).map((n) => `    ${sq(n.path)}) echo ${sq(n.subcommands.map((s) => s.name).join(' '))} ;;`).join('\n')}
  esac
}

_tokens_flags() {
  case "$1" in
${nodes.filter((n) => n.path).map((n) => `    ${sq(n.path)}) echo ${sq(n.flags.flatMap((f) => f.names).join(' '))} ;;`).join('\n')}
  esac
  echo ${sq(globals)}
}

${takesValueFunction(takes)}

_tokens_flag_values() {
  case "$1|$2" in
${values.map(([key, v]) => `    ${sq(key)}) echo ${sq(v.join(' '))} ;;`).join('\n')}
    *'|--profile') tokens profile list --quiet 2>/dev/null ;;
  esac
}

_tokens_arg_values() {
  case "$1" in
${nodes.filter((n) => n.argChoices.length).map((n) => `    ${sq(n.path)}) echo ${sq(n.argChoices.join(' '))} ;;`).join('\n')}
    'profile use'|'profile remove') tokens profile list --quiet 2>/dev/null ;;
  esac
}

_tokens() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmdpath="" word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ "$word" == -* ]]; then
      if [[ "$word" != *=* ]] && _tokens_takes_value "$cmdpath" "$word"; then ((i++)); fi
      continue
    fi
    if [[ " $(_tokens_subcommands "$cmdpath") " == *" $word "* ]]; then cmdpath="\${cmdpath:+$cmdpath }$word"; fi
  done
  if ((COMP_CWORD > 1)) && [[ "$prev" == -* ]] && _tokens_takes_value "$cmdpath" "$prev"; then
    COMPREPLY=($(compgen -W "$(_tokens_flag_values "$cmdpath" "$prev")" -- "$cur"))
  elif [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_tokens_flags "$cmdpath")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_tokens_subcommands "$cmdpath") $(_tokens_arg_values "$cmdpath")" -- "$cur"))
  fi
}
complete -F _tokens tokens
`;
}

function zsh(nodes: Node[]): string {
  const { takes, values } = valueFlagCases(nodes);
  const described = (name: string, text: string) => sq(`${name.replace(/:/g, '\\:')}:${oneLine(text)}`);
  const globalEntries = GLOBAL_FLAGS.flatMap((f) => f.names.map((n) => described(n, f.description)));
  return `#compdef tokens
${HEADER('zsh')}
# Load with: source <(tokens completion zsh)   or save as _tokens in a directory on $fpath

_tokens_subcommands() {
  case "$1" in
${nodes.filter((n) => n.subcommands.length).map((n) => `    ${sq(n.path)}) reply=(${n.subcommands.map((s) => described(s.name, s.summary)).join(' ')}) ;;`).join('\n')}
    *) reply=() ;;
  esac
}

_tokens_flags() {
  case "$1" in
${nodes.filter((n) => n.path).map((n) => `    ${sq(n.path)}) reply=(${n.flags.flatMap((f) => f.names.map((name) => described(name, f.description))).join(' ')}) ;;`).join('\n')}
    *) reply=() ;;
  esac
  reply+=(${globalEntries.join(' ')})
}

${takesValueFunction(takes)}

_tokens_flag_values() {
  case "$1|$2" in
${values.map(([key, v]) => `    ${sq(key)}) reply=(${v.map(sq).join(' ')}) ;;`).join('\n')}
    *'|--profile') reply=(\${(f)"$(tokens profile list --quiet 2>/dev/null)"}) ;;
    *) reply=() ;;
  esac
}

_tokens_arg_values() {
  case "$1" in
${nodes.filter((n) => n.argChoices.length).map((n) => `    ${sq(n.path)}) reply=(${n.argChoices.map(sq).join(' ')}) ;;`).join('\n')}
    'profile use'|'profile remove') reply=(\${(f)"$(tokens profile list --quiet 2>/dev/null)"}) ;;
    *) reply=() ;;
  esac
}

_tokens() {
  local cmdpath="" word i
  local -a reply subs vals
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    if [[ "$word" == -* ]]; then
      if [[ "$word" != *=* ]] && _tokens_takes_value "$cmdpath" "$word"; then ((i++)); fi
      continue
    fi
    _tokens_subcommands "$cmdpath"
    if (( \${reply[(I)\${(b)word}:*]} )); then cmdpath="\${cmdpath:+$cmdpath }$word"; fi
  done
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"
  if (( CURRENT > 2 )) && [[ "$prev" == -* ]] && _tokens_takes_value "$cmdpath" "$prev"; then
    _tokens_flag_values "$cmdpath" "$prev"
    compadd -a reply
  elif [[ "$cur" == -* ]]; then
    _tokens_flags "$cmdpath"
    _describe -t options 'option' reply
  else
    _tokens_subcommands "$cmdpath"; subs=("\${reply[@]}")
    _tokens_arg_values "$cmdpath"; vals=("\${reply[@]}")
    (( \${#subs} )) && _describe -t commands 'command' subs
    (( \${#vals} )) && compadd -a vals
  fi
  return 0
}

if [[ "\${funcstack[1]}" == "_tokens" ]]; then
  _tokens "$@"
else
  compdef _tokens tokens
fi
`;
}

function fish(nodes: Node[]): string {
  const { takes } = valueFlagCases(nodes);
  const lines: string[] = [];
  const at = (path: string) => `-n ${sq(`__tokens_at ${sq(path)}`)}`;
  const flagArgs = (f: Flag) => f.names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(' ');
  for (const node of nodes) {
    for (const sub of node.subcommands) lines.push(`complete -c tokens ${at(node.path)} -a ${sq(sub.name)} -d ${sq(oneLine(sub.summary))}`);
    if (node.argChoices.length) lines.push(`complete -c tokens ${at(node.path)} -a ${sq(node.argChoices.join(' '))}`);
    if (!node.path) continue;
    for (const f of node.flags) {
      const value = f.takesValue ? (f.choices.length ? ` -x -a ${sq(f.choices.join(' '))}` : ' -r') : '';
      lines.push(`complete -c tokens ${at(node.path)} ${flagArgs(f)}${value} -d ${sq(oneLine(f.description))}`);
    }
  }
  for (const f of GLOBAL_FLAGS) {
    const value = f.names.includes('--profile') ? ` -x -a '(tokens profile list --quiet 2>/dev/null)'` : f.takesValue ? ' -r' : '';
    lines.push(`complete -c tokens ${flagArgs(f)}${value} -d ${sq(oneLine(f.description))}`);
  }
  lines.push(`complete -c tokens ${at('profile use')} -a '(tokens profile list --quiet 2>/dev/null)'`);
  lines.push(`complete -c tokens ${at('profile remove')} -a '(tokens profile list --quiet 2>/dev/null)'`);
  return `${HEADER('fish')}
# Load with: tokens completion fish | source   or save as ~/.config/fish/completions/tokens.fish

function __tokens_subcommands
    switch "$argv[1]"
${nodes.filter((n) => n.subcommands.length).map((n) => `        case ${sq(n.path)}\n            printf '%s\\n' ${n.subcommands.map((s) => sq(s.name)).join(' ')}`).join('\n')}
    end
end

function __tokens_takes_value
    switch "$argv[1]|$argv[2]"
        case ${takes.map(sq).join(' ')}
            return 0
    end
    return 1
end

function __tokens_path
    set -l words (commandline -opc)
    set -e words[1]
    set -l cmdpath
    set -l skip 0
    for word in $words
        if test $skip -eq 1
            set skip 0
            continue
        end
        if string match -q -- '-*' $word
            if not string match -q -- '*=*' $word; and __tokens_takes_value "$cmdpath" $word
                set skip 1
            end
            continue
        end
        if contains -- $word (__tokens_subcommands "$cmdpath")
            set cmdpath (string join ' ' $cmdpath $word)
        end
    end
    echo "$cmdpath"
end

function __tokens_at
    test (__tokens_path) = "$argv[1]"
end

complete -c tokens -f
${lines.join('\n')}
`;
}

export function generateCompletion(shell: Shell, defs: CommandDefinition[]): string {
  const nodes = flatten(defs);
  if (shell === 'bash') return bash(nodes);
  if (shell === 'zsh') return zsh(nodes);
  return fish(nodes);
}
