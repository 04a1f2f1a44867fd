# bash completion for tokens: generated from the command tree by scripts/build.mjs; do not edit.
# Load with: source <(tokens completion bash)   or copy to /etc/bash_completion.d/tokens

_tokens_subcommands() {
  case "$1" in
    '') subs=('login' 'logout' 'whoami' 'profile' 'create' 'list' 'show' 'update' 'scopes' 'rotate' 'revoke' 'suspend' 'resume' 'audit' 'usage' 'webhooks' 'check' 'scan' 'policy' 'export' 'import' 'server' 'completion') ;;
    'profile') subs=('list' 'use' 'add' 'remove') ;;
    'scopes') subs=('add' 'remove' 'set' 'catalog') ;;
    'scopes catalog') subs=('list' 'add' 'remove') ;;
    'webhooks') subs=('add' 'list' 'remove' 'test' 'deliveries') ;;
    'policy') subs=('list' 'set' 'remove') ;;
    *) subs=() ;;
  esac
}

_tokens_is_subcommand() {
  local s
  for s in "${subs[@]}"; do [[ "$s" == "$1" ]] && return 0; done
  return 1
}

_tokens_flags() {
  case "$1" in
    'login') echo '--api-url --insecure-storage --status' ;;
    'logout') echo '-y --yes' ;;
    'whoami') echo '' ;;
    'profile') echo '' ;;
    'profile list') echo '' ;;
    'profile use') echo '' ;;
    'profile add') echo '--api-url --output --use' ;;
    'profile remove') echo '-y --yes' ;;
    'create') echo '--name --scope --description --expires --audience --cidr --rate-limit --max-uses --refill --metadata --owner --idempotency-key' ;;
    'list') echo '--status --scope --name-prefix --expiring-within --unused-for --older-than --owner --created-by --all --limit' ;;
    'show') echo '' ;;
    'update') echo '--name --description --owner --clear-owner --expires --audience --clear-audiences --cidr --clear-cidrs --rate-limit --max-uses --refill --metadata' ;;
    'scopes') echo '' ;;
    'scopes add') echo '' ;;
    'scopes remove') echo '-y --yes' ;;
    'scopes set') echo '-y --yes' ;;
    'scopes catalog') echo '' ;;
    'scopes catalog list') echo '' ;;
    'scopes catalog add') echo '--description' ;;
    'scopes catalog remove') echo '-y --yes' ;;
    'rotate') echo '--status --scope --name-prefix --expiring-within --unused-for --older-than --owner --created-by --overlap --deliver --deliver-file --deliver-timeout --dry-run --idempotency-key -y --yes' ;;
    'revoke') echo '--value --status --scope --name-prefix --expiring-within --unused-for --older-than --owner --created-by --reason --dry-run --include-self -y --yes' ;;
    'suspend') echo '--status --scope --name-prefix --expiring-within --unused-for --older-than --owner --created-by --reason --dry-run --include-self -y --yes' ;;
    'resume') echo '--status --scope --name-prefix --expiring-within --unused-for --older-than --owner --created-by --reason --dry-run -y --yes' ;;
    'audit') echo '--token --target --actor --action --since --until --limit' ;;
    'usage') echo '--since --until --granularity --top --by' ;;
    'webhooks') echo '' ;;
    'webhooks add') echo '--event --all-events --format --description' ;;
    'webhooks list') echo '' ;;
    'webhooks remove') echo '-y --yes' ;;
    'webhooks test') echo '--wait' ;;
    'webhooks deliveries') echo '--state --limit' ;;
    'check') echo '--expiring-within --unused-for' ;;
    'scan') echo '--prefix --offline --revoke --reason -y --yes' ;;
    'policy') echo '' ;;
    'policy list') echo '' ;;
    'policy set') echo '--max-ttl --require-expiry --require-cidr --max-rate-limit --require-owner' ;;
    'policy remove') echo '-y --yes' ;;
    'export') echo '-o --output --include-hashes' ;;
    'import') echo '--dry-run' ;;
    'server') echo '--port --host --db --database-url --bootstrap-file --pepper-file --secret-prefix --public-url --trust-proxy --session-idle-timeout --session-lifetime --log-level --tls-cert --tls-key --tls-client-ca --require-client-cert-for-verify --no-usage-history --usage-hourly-retention --allow-private-webhooks --burst-threshold --webhook-timeout --headers-timeout --request-timeout --keep-alive-timeout --max-connections --usage-daily-retention' ;;
    'completion') echo '' ;;
  esac
  echo '--profile --json -q --quiet --field --token-stdin --insecure-http --ca-file --debug -h --help -V --version'
}

_tokens_takes_value() {
  case "$1|$2" in
    *'|--profile'|*'|--field'|*'|--ca-file'|'login|--api-url'|'profile add|--api-url'|'profile add|--output'|'create|--name'|'create|--scope'|'create|--description'|'create|--expires'|'create|--audience'|'create|--cidr'|'create|--rate-limit'|'create|--max-uses'|'create|--refill'|'create|--metadata'|'create|--owner'|'create|--idempotency-key'|'list|--status'|'list|--scope'|'list|--name-prefix'|'list|--expiring-within'|'list|--unused-for'|'list|--older-than'|'list|--owner'|'list|--created-by'|'list|--limit'|'update|--name'|'update|--description'|'update|--owner'|'update|--expires'|'update|--audience'|'update|--cidr'|'update|--rate-limit'|'update|--max-uses'|'update|--refill'|'update|--metadata'|'scopes catalog add|--description'|'rotate|--status'|'rotate|--scope'|'rotate|--name-prefix'|'rotate|--expiring-within'|'rotate|--unused-for'|'rotate|--older-than'|'rotate|--owner'|'rotate|--created-by'|'rotate|--overlap'|'rotate|--deliver'|'rotate|--deliver-file'|'rotate|--deliver-timeout'|'rotate|--idempotency-key'|'revoke|--value'|'revoke|--status'|'revoke|--scope'|'revoke|--name-prefix'|'revoke|--expiring-within'|'revoke|--unused-for'|'revoke|--older-than'|'revoke|--owner'|'revoke|--created-by'|'revoke|--reason'|'suspend|--status'|'suspend|--scope'|'suspend|--name-prefix'|'suspend|--expiring-within'|'suspend|--unused-for'|'suspend|--older-than'|'suspend|--owner'|'suspend|--created-by'|'suspend|--reason'|'resume|--status'|'resume|--scope'|'resume|--name-prefix'|'resume|--expiring-within'|'resume|--unused-for'|'resume|--older-than'|'resume|--owner'|'resume|--created-by'|'resume|--reason'|'audit|--token'|'audit|--target'|'audit|--actor'|'audit|--action'|'audit|--since'|'audit|--until'|'audit|--limit'|'usage|--since'|'usage|--until'|'usage|--granularity'|'usage|--top'|'usage|--by'|'webhooks add|--event'|'webhooks add|--format'|'webhooks add|--description'|'webhooks test|--wait'|'webhooks deliveries|--state'|'webhooks deliveries|--limit'|'check|--expiring-within'|'check|--unused-for'|'scan|--prefix'|'scan|--reason'|'policy set|--max-ttl'|'policy set|--max-rate-limit'|'export|-o'|'export|--output'|'server|--port'|'server|--host'|'server|--db'|'server|--database-url'|'server|--bootstrap-file'|'server|--pepper-file'|'server|--secret-prefix'|'server|--public-url'|'server|--trust-proxy'|'server|--session-idle-timeout'|'server|--session-lifetime'|'server|--log-level'|'server|--tls-cert'|'server|--tls-key'|'server|--tls-client-ca'|'server|--usage-hourly-retention'|'server|--burst-threshold'|'server|--webhook-timeout'|'server|--headers-timeout'|'server|--request-timeout'|'server|--keep-alive-timeout'|'server|--max-connections'|'server|--usage-daily-retention') return 0 ;;
  esac
  return 1
}

# What completes the value of flag $2 at command path $1.
_tokens_flag_spec() {
  case "$1|$2" in
    'profile add|--output') echo 'list auto table tsv json' ;;
    'create|--scope') echo 'dyn scopes' ;;
    'list|--status') echo 'list active suspended revoked expired' ;;
    'list|--scope') echo 'dyn scopes' ;;
    'list|--created-by') echo 'dyn live-tokens' ;;
    'rotate|--status') echo 'list active suspended revoked expired' ;;
    'rotate|--scope') echo 'dyn scopes' ;;
    'rotate|--created-by') echo 'dyn live-tokens' ;;
    'rotate|--deliver-file') echo 'files' ;;
    'revoke|--status') echo 'list active suspended revoked expired' ;;
    'revoke|--scope') echo 'dyn scopes' ;;
    'revoke|--created-by') echo 'dyn live-tokens' ;;
    'suspend|--status') echo 'list active suspended revoked expired' ;;
    'suspend|--scope') echo 'dyn scopes' ;;
    'suspend|--created-by') echo 'dyn live-tokens' ;;
    'resume|--status') echo 'list active suspended revoked expired' ;;
    'resume|--scope') echo 'dyn scopes' ;;
    'resume|--created-by') echo 'dyn live-tokens' ;;
    'audit|--token') echo 'dyn live-tokens' ;;
    'usage|--granularity') echo 'list hour day' ;;
    'usage|--by') echo 'list uses refused' ;;
    'webhooks add|--event') echo 'list token.created token.updated token.scopes_changed token.rotated token.suspended token.resumed token.revoked token.expiring token.expired token.quota_exhausted auth.denied.burst' ;;
    'webhooks add|--format') echo 'list standard slack' ;;
    'webhooks deliveries|--state') echo 'list pending delivered failed' ;;
    'export|-o') echo 'files' ;;
    'export|--output') echo 'files' ;;
    'server|--db') echo 'files' ;;
    'server|--bootstrap-file') echo 'files' ;;
    'server|--pepper-file') echo 'files' ;;
    'server|--log-level') echo 'list fatal error warn info debug silent' ;;
    'server|--tls-cert') echo 'files' ;;
    'server|--tls-key') echo 'files' ;;
    'server|--tls-client-ca') echo 'files' ;;
    *'|--profile') echo 'dyn profiles' ;;
    *'|--ca-file') echo 'files' ;;
  esac
}

# What completes positional number $2 (from 0) at command path $1.
_tokens_arg_spec() {
  case "$1|$2" in
    'profile use|0') echo 'dyn profiles' ;;
    'profile remove|0') echo 'dyn profiles' ;;
    'show|0') echo 'dyn live-tokens' ;;
    'update|0') echo 'dyn live-tokens' ;;
    'scopes add|0') echo 'dyn live-tokens' ;;
    'scopes add|'*) echo 'dyn scopes' ;;
    'scopes remove|0') echo 'dyn live-tokens' ;;
    'scopes remove|'*) echo 'dyn scopes' ;;
    'scopes set|0') echo 'dyn live-tokens' ;;
    'scopes set|'*) echo 'dyn scopes' ;;
    'scopes catalog remove|0') echo 'dyn custom-scopes' ;;
    'rotate|'*) echo 'dyn active-tokens' ;;
    'revoke|'*) echo 'dyn live-tokens' ;;
    'suspend|'*) echo 'dyn active-tokens' ;;
    'resume|'*) echo 'dyn suspended-tokens' ;;
    'usage|0') echo 'dyn live-tokens' ;;
    'scan|'*) echo 'files' ;;
    'policy set|0') echo 'dyn scopes' ;;
    'policy remove|0') echo 'dyn scopes' ;;
    'import|0') echo 'files' ;;
    'completion|0') echo 'list bash zsh fish' ;;
  esac
}

# Adds to COMPREPLY what spec $1 offers for the word being completed. Names from the server are
# matched and quoted here, never evaluated by the shell.
_tokens_offer() {
  local spec="$1" v
  case "$spec" in
    files)
      compopt -o filenames 2>/dev/null
      while IFS= read -r v; do COMPREPLY+=("$v"); done < <(compgen -f -- "$cur")
      ;;
    list\ *)
      for v in ${spec#list }; do [[ "$v" == "$cur"* ]] && COMPREPLY+=("$v"); done
      ;;
    dyn\ *)
      while IFS= read -r v; do
        [[ -n "$v" && "$v" == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$v")")
      done < <(command tokens "${pass[@]}" __complete "${spec#dyn }" "$cur" 2>/dev/null </dev/null)
      ;;
  esac
}

_tokens() {
  # Words from the line itself: COMP_WORDS would split scope names like tokens:read at the colon.
  local line="${COMP_LINE:0:COMP_POINT}" cur="" prev cmdpath="" word i npos=0
  local -a words=() pass=() subs=()
  read -ra words <<< "$line"
  [[ "$line" =~ [[:space:]]$ ]] && words+=("")
  cur="${words[${#words[@]}-1]}"
  prev="${words[${#words[@]}-2]}"
  COMPREPLY=()
  for ((i = 1; i < ${#words[@]} - 1; i++)); do
    word="${words[i]}"
    case "$word" in
      --profile) ((i + 1 < ${#words[@]} - 1)) && pass+=(--profile "${words[i+1]}") ;;
      --profile=*) pass+=("$word") ;;
      --ca-file) ((i + 1 < ${#words[@]} - 1)) && pass+=(--ca-file "${words[i+1]}") ;;
      --ca-file=*) pass+=("$word") ;;
      --insecure-http) pass+=("$word") ;;
    esac
    if [[ "$word" == -* ]]; then
      if [[ "$word" != *=* ]] && _tokens_takes_value "$cmdpath" "$word"; then ((i++)); fi
      continue
    fi
    _tokens_subcommands "$cmdpath"
    if ((npos == 0)) && _tokens_is_subcommand "$word"; then cmdpath="${cmdpath:+$cmdpath }$word"; else ((npos++)); fi
  done
  if ((${#words[@]} > 2)) && [[ "$prev" == -* ]] && _tokens_takes_value "$cmdpath" "$prev"; then
    _tokens_offer "$(_tokens_flag_spec "$cmdpath" "$prev")"
  elif [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_tokens_flags "$cmdpath")" -- "$cur"))
  else
    if ((npos == 0)); then
      _tokens_subcommands "$cmdpath"
      for word in "${subs[@]}"; do [[ "$word" == "$cur"* ]] && COMPREPLY+=("$word"); done
    fi
    _tokens_offer "$(_tokens_arg_spec "$cmdpath" "$npos")"
  fi
  # bash replaces only what follows the last colon of the word (COMP_WORDBREAKS): offer that part.
  if [[ "$cur" == *:* && "$COMP_WORDBREAKS" == *:* ]]; then
    local colon="${cur%"${cur##*:}"}"
    COMPREPLY=("${COMPREPLY[@]#"$colon"}")
  fi
}
complete -F _tokens tokens
