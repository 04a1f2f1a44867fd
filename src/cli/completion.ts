// Shell completion scripts (bash, zsh, fish) generated from the command tree: commands, flags, and the
// values of flags and positionals as their declarations say (options.ts) — fixed choices, file paths,
// or names only the server or the profiles know, which the scripts ask of `tokens __complete`
// (complete.ts) with the profile given on the command line.
import type { CommandDefinition } from './define.js';
import type { OptionDecl, ValueSource } from './options.js';
import { GLOBAL_OPTIONS } from './shared-options.js';
import { COMPLETE_COMMAND } from './complete.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

/** What completes a value: fixed words, file paths, or names from `tokens __complete SOURCE`. */
type Values = { list: readonly string[] } | { source: ValueSource } | null;

interface Flag {
  names: string[];
  description: string;
  takesValue: boolean;
  values: Values;
}

interface Positional {
  values: Values;
  variadic: boolean;
}

interface Node {
  /** Space-separated command path; "" for the root. */
  path: string;
  subcommands: { name: string; summary: string }[];
  flags: Flag[];
  positionals: Positional[];
}

function valuesOf(decl: { choices?: readonly string[]; completes?: ValueSource }): Values {
  if (decl.choices?.length) return { list: decl.choices };
  return decl.completes ? { source: decl.completes } : null;
}

function flagOf(o: OptionDecl<unknown>): Flag {
  const names = o.flags.split(/[ ,|]+/).filter((w) => w.startsWith('-'));
  return { names, description: o.description, takesValue: /[<[]/.test(o.flags), values: valuesOf(o) };
}

const HELP_FLAG: Flag = { names: ['-h', '--help'], description: 'show help', takesValue: false, values: null };

function flatten(defs: CommandDefinition[]): Node[] {
  const nodes: Node[] = [{ path: '', subcommands: defs.map((d) => ({ name: d.name, summary: d.summary })), flags: [], positionals: [] }];
  const walk = (def: CommandDefinition, prefix: string) => {
    const path = prefix ? `${prefix} ${def.name}` : def.name;
    nodes.push({
      path,
      subcommands: def.subcommands.map((s) => ({ name: s.name, summary: s.summary })),
      // -h/--help is global, like the rest of GLOBAL_FLAGS.
      flags: Object.values(def.options).filter((o) => !o.hidden).map(flagOf),
      positionals: Object.values(def.arguments).map((a) => ({ values: valuesOf(a), variadic: a.variadic })),
    });
    for (const sub of def.subcommands) walk(sub, path);
  };
  for (const def of defs) walk(def, '');
  return nodes;
}

const GLOBAL_FLAGS: Flag[] = [...Object.values(GLOBAL_OPTIONS).map(flagOf), HELP_FLAG, { names: ['-V', '--version'], description: 'show the version', takesValue: false, values: null }];
/** Global flags handed on to `tokens __complete`, so it asks the server the command line names, as the command would. */
const PASSED_ON = [GLOBAL_OPTIONS.profile, GLOBAL_OPTIONS.caFile, GLOBAL_OPTIONS.insecureHttp].map(flagOf);
const HEADER = (shell: Shell) => `# ${shell} completion for tokens: generated from the command tree by scripts/build.mjs; do not edit.`;

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** A value spec as the scripts read it: "list WORD…", "files" or "dyn SOURCE". */
function spec(values: Values): string | null {
  if (!values) return null;
  if ('list' in values) return `list ${values.list.join(' ')}`;
  return values.source === 'files' ? 'files' : `dyn ${values.source}`;
}

/** Case arms shared by bash and zsh: which flags take a value, what completes each, and each positional. */
function caseArms(nodes: Node[]) {
  const takes = GLOBAL_FLAGS.filter((f) => f.takesValue).flatMap((f) => f.names.map((n) => `*${sq(`|${n}`)}`));
  const flagSpecs: [string, string][] = [];
  const argSpecs: [string, string][] = [];
  for (const node of nodes) {
    for (const flag of node.flags.filter((f) => f.takesValue)) {
      for (const name of flag.names) {
        takes.push(sq(`${node.path}|${name}`));
        const s = spec(flag.values);
        if (s) flagSpecs.push([sq(`${node.path}|${name}`), s]);
      }
    }
    node.positionals.forEach((p, i) => {
      const s = spec(p.values);
      // A variadic positional is the last: it completes every position from its own on.
      if (s) argSpecs.push([p.variadic ? `${sq(`${node.path}|`)}*` : sq(`${node.path}|${i}`), s]);
    });
  }
  for (const flag of GLOBAL_FLAGS.filter((f) => f.takesValue)) {
    const s = spec(flag.values);
    if (s) for (const name of flag.names) flagSpecs.push([`*${sq(`|${name}`)}`, s]);
  }
  return { takes, flagSpecs, argSpecs };
}

/** Shell functions bash and zsh share (both read this case syntax). */
function sharedFunctions(nodes: Node[]): string {
  const { takes, flagSpecs, argSpecs } = caseArms(nodes);
  const arms = (list: [string, string][]) => list.map(([pattern, s]) => `    ${pattern}) echo ${sq(s)} ;;`).join('\n');
  return `_tokens_takes_value() {
  case "$1|$2" in
    ${takes.join('|')}) return 0 ;;
  esac
  return 1
}

# What completes the value of flag $2 at command path $1.
_tokens_flag_spec() {
  case "$1|$2" in
${arms(flagSpecs)}
  esac
}

# What completes positional number $2 (from 0) at command path $1.
_tokens_arg_spec() {
  case "$1|$2" in
${arms(argSpecs)}
  esac
}`;
}

/**
 * The loop both bash and zsh run over the words before the cursor: the command path, the positionals
 * after it, and the global flags to pass on to __complete (so it asks the server the command line names).
 */
const SCAN = (words: string, from: number, upTo: string) => `  for ((i = ${from}; i < ${upTo}; i++)); do
    word="${words}[i]}"
    case "$word" in
${PASSED_ON.map((f) => {
  const long = f.names.find((n) => n.startsWith('--'))!;
  return f.takesValue
    ? `      ${long}) ((i + 1 < ${upTo})) && pass+=(${long} "${words}[i+1]}") ;;\n      ${long}=*) pass+=("$word") ;;`
    : `      ${long}) pass+=("$word") ;;`;
}).join('\n')}
    esac
    if [[ "$word" == -* ]]; then
      if [[ "$word" != *=* ]] && _tokens_takes_value "$cmdpath" "$word"; then ((i++)); fi
      continue
    fi
    _tokens_subcommands "$cmdpath"
    if ((npos == 0)) && _tokens_is_subcommand "$word"; then cmdpath="\${cmdpath:+$cmdpath }$word"; else ((npos++)); fi
  done`;

function bash(nodes: Node[]): string {
  const globals = GLOBAL_FLAGS.flatMap((f) => f.names).join(' ');
  return `${HEADER('bash')}
# Load with: source <(tokens completion bash)   or copy to /etc/bash_completion.d/tokens

_tokens_subcommands() {
  case "$1" in
${nodes.filter((n) => n.subcommands.length).map((n) => `    ${sq(n.path)}) subs=(${n.subcommands.map((s) => sq(s.name)).join(' ')}) ;;`).join('\n')}
    *) subs=() ;;
  esac
}

_tokens_is_subcommand() {
  local s
  for s in "\${subs[@]}"; do [[ "$s" == "$1" ]] && return 0; done
  return 1
}

_tokens_flags() {
  case "$1" in
${nodes.filter((n) => n.path).map((n) => `    ${sq(n.path)}) echo ${sq(n.flags.flatMap((f) => f.names).join(' '))} ;;`).join('\n')}
  esac
  echo ${sq(globals)}
}

${sharedFunctions(nodes)}

# Adds to COMPREPLY what spec $1 offers for the word being completed. Names from the server are
# matched and quoted here, never evaluated by the shell.
_tokens_offer() {
  local spec="$1" v
  case "$spec" in
    files)
      compopt -o filenames 2>/dev/null
      while IFS= read -r v; do COMPREPLY+=("$v"); done < <(compgen -f -- "$cur")
      ;;
    list\\ *)
      for v in \${spec#list }; do [[ "$v" == "$cur"* ]] && COMPREPLY+=("$v"); done
      ;;
    dyn\\ *)
      while IFS= read -r v; do
        [[ -n "$v" && "$v" == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$v")")
      done < <(command tokens "\${pass[@]}" ${COMPLETE_COMMAND} "\${spec#dyn }" "$cur" 2>/dev/null </dev/null)
      ;;
  esac
}

_tokens() {
  # Words from the line itself: COMP_WORDS would split scope names like tokens:read at the colon.
  local line="\${COMP_LINE:0:COMP_POINT}" cur="" prev cmdpath="" word i npos=0
  local -a words=() pass=() subs=()
  read -ra words <<< "$line"
  [[ "$line" =~ [[:space:]]$ ]] && words+=("")
  cur="\${words[\${#words[@]}-1]}"
  prev="\${words[\${#words[@]}-2]}"
  COMPREPLY=()
${SCAN('${words', 1, '${#words[@]} - 1')}
  if ((\${#words[@]} > 2)) && [[ "$prev" == -* ]] && _tokens_takes_value "$cmdpath" "$prev"; then
    _tokens_offer "$(_tokens_flag_spec "$cmdpath" "$prev")"
  elif [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_tokens_flags "$cmdpath")" -- "$cur"))
  else
    if ((npos == 0)); then
      _tokens_subcommands "$cmdpath"
      for word in "\${subs[@]}"; do [[ "$word" == "$cur"* ]] && COMPREPLY+=("$word"); done
    fi
    _tokens_offer "$(_tokens_arg_spec "$cmdpath" "$npos")"
  fi
  # bash replaces only what follows the last colon of the word (COMP_WORDBREAKS): offer that part.
  if [[ "$cur" == *:* && "$COMP_WORDBREAKS" == *:* ]]; then
    local colon="\${cur%"\${cur##*:}"}"
    COMPREPLY=("\${COMPREPLY[@]#"$colon"}")
  fi
}
complete -F _tokens tokens
`;
}

function zsh(nodes: Node[]): string {
  const described = (name: string, text: string) => sq(`${name.replace(/:/g, '\\:')}:${oneLine(text)}`);
  const globalEntries = GLOBAL_FLAGS.flatMap((f) => f.names.map((n) => described(n, f.description)));
  return `#compdef tokens
${HEADER('zsh')}
# Load with: source <(tokens completion zsh)   or save as _tokens in a directory on $fpath

_tokens_subcommands() {
  case "$1" in
${nodes.filter((n) => n.subcommands.length).map((n) => `    ${sq(n.path)}) subs=(${n.subcommands.map((s) => described(s.name, s.summary)).join(' ')}) ;;`).join('\n')}
    *) subs=() ;;
  esac
}

_tokens_is_subcommand() {
  (( \${subs[(I)\${(b)1}:*]} ))
}

_tokens_flags() {
  case "$1" in
${nodes.filter((n) => n.path).map((n) => `    ${sq(n.path)}) reply=(${n.flags.flatMap((f) => f.names.map((name) => described(name, f.description))).join(' ')}) ;;`).join('\n')}
    *) reply=() ;;
  esac
  reply+=(${globalEntries.join(' ')})
}

${sharedFunctions(nodes)}

# Offers what spec $1 names for the word being completed (compadd quotes; nothing is evaluated).
_tokens_offer() {
  local spec="$1"
  local -a vals
  case "$spec" in
    files) _files ;;
    list\\ *) vals=(\${=spec#list }); compadd -a vals ;;
    dyn\\ *)
      vals=("\${(@f)$(command tokens "\${pass[@]}" ${COMPLETE_COMMAND} "\${spec#dyn }" "$PREFIX" 2>/dev/null </dev/null)}")
      vals=(\${vals:#})
      (( \${#vals} )) && compadd -a vals
      ;;
  esac
}

_tokens() {
  local cmdpath="" word i npos=0
  local -a reply subs pass
${SCAN('${words', 2, 'CURRENT')}
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"
  if (( CURRENT > 2 )) && [[ "$prev" == -* ]] && _tokens_takes_value "$cmdpath" "$prev"; then
    _tokens_offer "$(_tokens_flag_spec "$cmdpath" "$prev")"
  elif [[ "$cur" == -* ]]; then
    _tokens_flags "$cmdpath"
    _describe -t options 'option' reply
  else
    if (( npos == 0 )); then
      _tokens_subcommands "$cmdpath"
      (( \${#subs} )) && _describe -t commands 'command' subs
    fi
    _tokens_offer "$(_tokens_arg_spec "$cmdpath" "$npos")"
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
  const lines: string[] = [];
  const at = (path: string) => `-n ${sq(`__tokens_at ${sq(path)}`)}`;
  const flagArgs = (f: Flag) => f.names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(' ');
  const valueArgs = (values: Values) => {
    if (!values) return ' -r';
    if ('list' in values) return ` -x -a ${sq(values.list.join(' '))}`;
    return values.source === 'files' ? ' -r -F' : ` -x -a ${sq(`(__tokens_values ${values.source})`)}`;
  };
  const candidates = (values: Exclude<Values, null>) =>
    'list' in values ? `-a ${sq(values.list.join(' '))}` : values.source === 'files' ? '-F' : `-a ${sq(`(__tokens_values ${values.source})`)}`;
  for (const node of nodes) {
    for (const sub of node.subcommands) lines.push(`complete -c tokens -n ${sq(`__tokens_arg ${sq(node.path)} 0`)} -a ${sq(sub.name)} -d ${sq(oneLine(sub.summary))}`);
    node.positionals.forEach((p, i) => {
      if (p.values) lines.push(`complete -c tokens -n ${sq(`__tokens_arg ${sq(node.path)} ${i}${p.variadic ? '+' : ''}`)} ${candidates(p.values)}`);
    });
    if (!node.path) continue;
    for (const f of node.flags) lines.push(`complete -c tokens ${at(node.path)} ${flagArgs(f)}${f.takesValue ? valueArgs(f.values) : ''} -d ${sq(oneLine(f.description))}`);
  }
  for (const f of GLOBAL_FLAGS) lines.push(`complete -c tokens ${flagArgs(f)}${f.takesValue ? valueArgs(f.values) : ''} -d ${sq(oneLine(f.description))}`);
  const { takes } = caseArms(nodes);
  return `${HEADER('fish')}
# Load with: tokens completion fish | source   or save as ~/.config/fish/completions/tokens.fish

function __tokens_subcommands
    switch "$argv[1]"
${nodes.filter((n) => n.subcommands.length).map((n) => `        case ${sq(n.path)}\n            printf '%s\\n' ${n.subcommands.map((s) => sq(s.name)).join(' ')}`).join('\n')}
    end
end

function __tokens_takes_value
    switch "$argv[1]|$argv[2]"
        case ${takes.map((t) => t.replace(/^\*'\|/, "'*|")).join(' ')}
            return 0
    end
    return 1
end

# The command path, the number of positionals after it, and the global flags to pass on, one per line.
function __tokens_state
    set -l words (commandline -opc)
    set -e words[1]
    set -l cmdpath
    set -l npos 0
    set -l skip 0
    set -l pass
    for i in (seq (count $words))
        set -l word $words[$i]
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $word
${PASSED_ON.map((f) => {
  const long = f.names.find((n) => n.startsWith('--'))!;
  return f.takesValue
    ? `            case ${long}\n                test $i -lt (count $words); and set -a pass ${long} $words[(math $i + 1)]\n            case '${long}=*'\n                set -a pass $word`
    : `            case ${long}\n                set -a pass $word`;
}).join('\n')}
        end
        if string match -q -- '-*' $word
            if not string match -q -- '*=*' $word; and __tokens_takes_value "$cmdpath" $word
                set skip 1
            end
            continue
        end
        if test $npos -eq 0; and contains -- $word (__tokens_subcommands "$cmdpath")
            set cmdpath (string join ' ' $cmdpath $word)
        else
            set npos (math $npos + 1)
        end
    end
    echo "$cmdpath"
    echo $npos
    test (count $pass) -gt 0; and printf '%s\\n' $pass
end

function __tokens_at
    set -l state (__tokens_state)
    test "$state[1]" = "$argv[1]"
end

# At command path $1, on positional $2 (N, or N+ for N and every one after).
function __tokens_arg
    set -l state (__tokens_state)
    test "$state[1]" = "$argv[1]"; or return 1
    if string match -q -- '*+' $argv[2]
        test $state[2] -ge (string trim -r -c + -- $argv[2])
    else
        test $state[2] -eq $argv[2]
    end
end

# Names from the server or the profiles (tokens ${COMPLETE_COMMAND}), for the profile on the command line.
function __tokens_values
    set -l state (__tokens_state)
    set -e state[1..2]
    command tokens $state ${COMPLETE_COMMAND} $argv[1] (commandline -ct) 2>/dev/null </dev/null
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
