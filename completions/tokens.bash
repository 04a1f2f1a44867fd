# bash completion for tokens: generated from the command tree by scripts/build.mjs; do not edit.
# Load with: source <(tokens completion bash)   or copy to /etc/bash_completion.d/tokens

_tokens_subcommands() {
  case "$1" in
    '') echo 'login logout whoami profile create list show update scopes rotate revoke suspend resume audit usage webhooks check scan export server completion' ;;
    'profile') echo 'list use add remove' ;;
    'scopes') echo 'add remove set catalog' ;;
    'scopes catalog') echo 'list add remove' ;;
    'webhooks') echo 'add list remove test deliveries' ;;
  esac
}

_tokens_flags() {
  case "$1" in
    'login') echo '--api-url --insecure-storage --status -h --help' ;;
    'logout') echo '-y --yes -h --help' ;;
    'whoami') echo '-h --help' ;;
    'profile') echo '-h --help' ;;
    'profile list') echo '-h --help' ;;
    'profile use') echo '-h --help' ;;
    'profile add') echo '--api-url --output --use -h --help' ;;
    'profile remove') echo '-y --yes -h --help' ;;
    'create') echo '--name --scope --description --expires --audience --cidr --rate-limit --metadata --idempotency-key -h --help' ;;
    'list') echo '--status --scope --name-prefix --expiring-within --unused-for --older-than --all --limit -h --help' ;;
    'show') echo '-h --help' ;;
    'update') echo '--name --description --expires --audience --clear-audiences --cidr --clear-cidrs --rate-limit --metadata -h --help' ;;
    'scopes') echo '-h --help' ;;
    'scopes add') echo '-h --help' ;;
    'scopes remove') echo '-y --yes -h --help' ;;
    'scopes set') echo '-y --yes -h --help' ;;
    'scopes catalog') echo '-h --help' ;;
    'scopes catalog list') echo '-h --help' ;;
    'scopes catalog add') echo '--description -h --help' ;;
    'scopes catalog remove') echo '-y --yes -h --help' ;;
    'rotate') echo '--status --scope --name-prefix --expiring-within --unused-for --older-than --overlap --deliver --deliver-file --deliver-timeout --dry-run --idempotency-key -y --yes -h --help' ;;
    'revoke') echo '--value --status --scope --name-prefix --expiring-within --unused-for --older-than --reason --dry-run --include-self -y --yes -h --help' ;;
    'suspend') echo '--status --scope --name-prefix --expiring-within --unused-for --older-than --reason --dry-run --include-self -y --yes -h --help' ;;
    'resume') echo '--status --scope --name-prefix --expiring-within --unused-for --older-than --reason --dry-run -y --yes -h --help' ;;
    'audit') echo '--token --target --actor --action --since --until --limit -h --help' ;;
    'usage') echo '--since --until --granularity --top --by -h --help' ;;
    'webhooks') echo '-h --help' ;;
    'webhooks add') echo '--event --all-events --format --description -h --help' ;;
    'webhooks list') echo '-h --help' ;;
    'webhooks remove') echo '-y --yes -h --help' ;;
    'webhooks test') echo '--wait -h --help' ;;
    'webhooks deliveries') echo '--state --limit -h --help' ;;
    'check') echo '--expiring-within --unused-for -h --help' ;;
    'scan') echo '--prefix --offline --revoke --reason -y --yes -h --help' ;;
    'export') echo '-o --output -h --help' ;;
    'server') echo '--port --host --db --database-url --bootstrap-file --pepper-file --secret-prefix --public-url --trust-proxy --session-idle-timeout --session-lifetime --log-level --tls-cert --tls-key --tls-client-ca --require-client-cert-for-verify --no-usage-history --usage-hourly-retention --allow-private-webhooks --burst-threshold --webhook-timeout --usage-daily-retention -h --help' ;;
    'completion') echo '-h --help' ;;
  esac
  echo '--profile --json -q --quiet --field --token-stdin --insecure-http --ca-file --debug -h --help -V --version'
}

_tokens_takes_value() {
  case "$1|$2" in
    *'|--profile'|*'|--field'|*'|--ca-file'|'login|--api-url'|'profile add|--api-url'|'profile add|--output'|'create|--name'|'create|--scope'|'create|--description'|'create|--expires'|'create|--audience'|'create|--cidr'|'create|--rate-limit'|'create|--metadata'|'create|--idempotency-key'|'list|--status'|'list|--scope'|'list|--name-prefix'|'list|--expiring-within'|'list|--unused-for'|'list|--older-than'|'list|--limit'|'update|--name'|'update|--description'|'update|--expires'|'update|--audience'|'update|--cidr'|'update|--rate-limit'|'update|--metadata'|'scopes catalog add|--description'|'rotate|--status'|'rotate|--scope'|'rotate|--name-prefix'|'rotate|--expiring-within'|'rotate|--unused-for'|'rotate|--older-than'|'rotate|--overlap'|'rotate|--deliver'|'rotate|--deliver-file'|'rotate|--deliver-timeout'|'rotate|--idempotency-key'|'revoke|--value'|'revoke|--status'|'revoke|--scope'|'revoke|--name-prefix'|'revoke|--expiring-within'|'revoke|--unused-for'|'revoke|--older-than'|'revoke|--reason'|'suspend|--status'|'suspend|--scope'|'suspend|--name-prefix'|'suspend|--expiring-within'|'suspend|--unused-for'|'suspend|--older-than'|'suspend|--reason'|'resume|--status'|'resume|--scope'|'resume|--name-prefix'|'resume|--expiring-within'|'resume|--unused-for'|'resume|--older-than'|'resume|--reason'|'audit|--token'|'audit|--target'|'audit|--actor'|'audit|--action'|'audit|--since'|'audit|--until'|'audit|--limit'|'usage|--since'|'usage|--until'|'usage|--granularity'|'usage|--top'|'usage|--by'|'webhooks add|--event'|'webhooks add|--format'|'webhooks add|--description'|'webhooks test|--wait'|'webhooks deliveries|--state'|'webhooks deliveries|--limit'|'check|--expiring-within'|'check|--unused-for'|'scan|--prefix'|'scan|--reason'|'export|-o'|'export|--output'|'server|--port'|'server|--host'|'server|--db'|'server|--database-url'|'server|--bootstrap-file'|'server|--pepper-file'|'server|--secret-prefix'|'server|--public-url'|'server|--trust-proxy'|'server|--session-idle-timeout'|'server|--session-lifetime'|'server|--log-level'|'server|--tls-cert'|'server|--tls-key'|'server|--tls-client-ca'|'server|--usage-hourly-retention'|'server|--burst-threshold'|'server|--webhook-timeout'|'server|--usage-daily-retention') return 0 ;;
  esac
  return 1
}

_tokens_flag_values() {
  case "$1|$2" in
    'profile add|--output') echo 'auto table tsv json' ;;
    'list|--status') echo 'active suspended revoked expired' ;;
    'rotate|--status') echo 'active suspended revoked expired' ;;
    'revoke|--status') echo 'active suspended revoked expired' ;;
    'suspend|--status') echo 'active suspended revoked expired' ;;
    'resume|--status') echo 'active suspended revoked expired' ;;
    'usage|--granularity') echo 'hour day' ;;
    'usage|--by') echo 'uses refused' ;;
    'webhooks add|--event') echo 'token.created token.updated token.scopes_changed token.rotated token.suspended token.resumed token.revoked token.expiring token.expired auth.denied.burst' ;;
    'webhooks add|--format') echo 'standard slack' ;;
    'webhooks deliveries|--state') echo 'pending delivered failed' ;;
    'server|--log-level') echo 'fatal error warn info debug silent' ;;
    *'|--profile') tokens profile list --quiet 2>/dev/null ;;
  esac
}

_tokens_arg_values() {
  case "$1" in
    'completion') echo 'bash zsh fish' ;;
    'profile use'|'profile remove') tokens profile list --quiet 2>/dev/null ;;
  esac
}

_tokens() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmdpath="" word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="${COMP_WORDS[i]}"
    if [[ "$word" == -* ]]; then
      if [[ "$word" != *=* ]] && _tokens_takes_value "$cmdpath" "$word"; then ((i++)); fi
      continue
    fi
    if [[ " $(_tokens_subcommands "$cmdpath") " == *" $word "* ]]; then cmdpath="${cmdpath:+$cmdpath }$word"; fi
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
