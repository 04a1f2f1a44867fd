# fish completion for tokens: generated from the command tree by scripts/build.mjs; do not edit.
# Load with: tokens completion fish | source   or save as ~/.config/fish/completions/tokens.fish

function __tokens_subcommands
    switch "$argv[1]"
        case ''
            printf '%s\n' 'login' 'logout' 'whoami' 'profile' 'create' 'list' 'show' 'update' 'scopes' 'rotate' 'revoke' 'suspend' 'resume' 'audit' 'usage' 'webhooks' 'check' 'scan' 'policy' 'export' 'import' 'server' 'completion'
        case 'profile'
            printf '%s\n' 'list' 'use' 'add' 'remove'
        case 'scopes'
            printf '%s\n' 'add' 'remove' 'set' 'catalog'
        case 'scopes catalog'
            printf '%s\n' 'list' 'add' 'remove'
        case 'webhooks'
            printf '%s\n' 'add' 'list' 'remove' 'test' 'deliveries'
        case 'policy'
            printf '%s\n' 'list' 'set' 'remove'
    end
end

function __tokens_takes_value
    switch "$argv[1]|$argv[2]"
        case '*|--profile' '*|--field' '*|--ca-file' 'login|--api-url' 'profile add|--api-url' 'profile add|--output' 'create|--name' 'create|--scope' 'create|--description' 'create|--expires' 'create|--audience' 'create|--cidr' 'create|--rate-limit' 'create|--max-uses' 'create|--refill' 'create|--metadata' 'create|--owner' 'create|--idempotency-key' 'list|--status' 'list|--scope' 'list|--name-prefix' 'list|--expiring-within' 'list|--unused-for' 'list|--older-than' 'list|--owner' 'list|--created-by' 'list|--limit' 'update|--name' 'update|--description' 'update|--owner' 'update|--expires' 'update|--audience' 'update|--cidr' 'update|--rate-limit' 'update|--max-uses' 'update|--refill' 'update|--metadata' 'scopes catalog add|--description' 'rotate|--status' 'rotate|--scope' 'rotate|--name-prefix' 'rotate|--expiring-within' 'rotate|--unused-for' 'rotate|--older-than' 'rotate|--owner' 'rotate|--created-by' 'rotate|--overlap' 'rotate|--deliver' 'rotate|--deliver-file' 'rotate|--deliver-timeout' 'rotate|--idempotency-key' 'revoke|--value' 'revoke|--status' 'revoke|--scope' 'revoke|--name-prefix' 'revoke|--expiring-within' 'revoke|--unused-for' 'revoke|--older-than' 'revoke|--owner' 'revoke|--created-by' 'revoke|--reason' 'suspend|--status' 'suspend|--scope' 'suspend|--name-prefix' 'suspend|--expiring-within' 'suspend|--unused-for' 'suspend|--older-than' 'suspend|--owner' 'suspend|--created-by' 'suspend|--reason' 'resume|--status' 'resume|--scope' 'resume|--name-prefix' 'resume|--expiring-within' 'resume|--unused-for' 'resume|--older-than' 'resume|--owner' 'resume|--created-by' 'resume|--reason' 'audit|--token' 'audit|--target' 'audit|--actor' 'audit|--action' 'audit|--since' 'audit|--until' 'audit|--limit' 'usage|--since' 'usage|--until' 'usage|--granularity' 'usage|--top' 'usage|--by' 'webhooks add|--event' 'webhooks add|--format' 'webhooks add|--description' 'webhooks test|--wait' 'webhooks deliveries|--state' 'webhooks deliveries|--limit' 'check|--expiring-within' 'check|--unused-for' 'scan|--prefix' 'scan|--reason' 'policy set|--max-ttl' 'policy set|--max-rate-limit' 'export|-o' 'export|--output' 'server|--port' 'server|--host' 'server|--db' 'server|--database-url' 'server|--bootstrap-file' 'server|--pepper-file' 'server|--secret-prefix' 'server|--public-url' 'server|--trust-proxy' 'server|--session-idle-timeout' 'server|--session-lifetime' 'server|--log-level' 'server|--tls-cert' 'server|--tls-key' 'server|--tls-client-ca' 'server|--usage-hourly-retention' 'server|--burst-threshold' 'server|--webhook-timeout' 'server|--headers-timeout' 'server|--request-timeout' 'server|--keep-alive-timeout' 'server|--max-connections' 'server|--usage-daily-retention'
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
            case --profile
                test $i -lt (count $words); and set -a pass --profile $words[(math $i + 1)]
            case '--profile=*'
                set -a pass $word
            case --ca-file
                test $i -lt (count $words); and set -a pass --ca-file $words[(math $i + 1)]
            case '--ca-file=*'
                set -a pass $word
            case --insecure-http
                set -a pass $word
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
    test (count $pass) -gt 0; and printf '%s\n' $pass
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

# Names from the server or the profiles (tokens __complete), for the profile on the command line.
function __tokens_values
    set -l state (__tokens_state)
    set -e state[1..2]
    command tokens $state __complete $argv[1] (commandline -ct) 2>/dev/null </dev/null
end

complete -c tokens -f
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'login' -d 'Store your credential for a profile (OS keychain), after checking it with the server'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'logout' -d 'Remove a profile'\''s stored credential'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'whoami' -d 'Show the profile, API URL, credential source and the token you act as'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'profile' -d 'List, add, switch and remove profiles (API URL and default output)'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'create' -d 'Create a token; its secret is shown once'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'list' -d 'List tokens, with filters'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'show' -d 'Show one token'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'update' -d 'Change a token'\''s name, description, owner, expiry, CIDRs, audiences, rate limit, usage quota or metadata'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'scopes' -d 'Edit a token'\''s scopes, or the catalog of custom scopes'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'rotate' -d 'Replace tokens with successors holding new secrets, delivered and checked'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'revoke' -d 'Revoke tokens for good: by name, by filters, or by leaked secret'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'suspend' -d 'Suspend tokens until they are resumed'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'resume' -d 'Resume suspended tokens'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'audit' -d 'Read the audit log'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'usage' -d 'A token'\''s usage history, or the most used and most refused tokens'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'webhooks' -d 'Push token events to receivers: signed webhooks, Slack'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'check' -d 'Report tokens that need attention; exit 8 when there are any'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'scan' -d 'Find leaked secrets in files or stdin, say which are live, and --revoke them'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'policy' -d 'Rules the server enforces on tokens per scope: maximum lifetime, expiry, CIDRs, rate limit, owner'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'export' -d 'Export a backup: token metadata, the scope catalog, policies and webhooks as JSON (never secrets)'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'import' -d 'Restore a backup written by "tokens export": tokens, scope catalog, policies, webhooks'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'server' -d 'Run the management API server (embedded SQLite store by default)'
complete -c tokens -n '__tokens_arg '\'''\'' 0' -a 'completion' -d 'Print the shell completion script for bash, zsh or fish'
complete -c tokens -n '__tokens_at '\''login'\''' -l api-url -r -d 'server of this profile (creates the profile if needed)'
complete -c tokens -n '__tokens_at '\''login'\''' -l insecure-storage -d 'keep the secret in a 0600 file instead of the OS keychain'
complete -c tokens -n '__tokens_at '\''login'\''' -l status -d 'show which credential is in use and whom it belongs to'
complete -c tokens -n '__tokens_at '\''logout'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_arg '\''profile'\'' 0' -a 'list' -d 'List profiles; * marks the current one'
complete -c tokens -n '__tokens_arg '\''profile'\'' 0' -a 'use' -d 'Make a profile the current one'
complete -c tokens -n '__tokens_arg '\''profile'\'' 0' -a 'add' -d 'Add a profile, or change the API URL, output or CA file of an existing one'
complete -c tokens -n '__tokens_arg '\''profile'\'' 0' -a 'remove' -d 'Remove a profile and its stored credential'
complete -c tokens -n '__tokens_arg '\''profile use'\'' 0' -a '(__tokens_values profiles)'
complete -c tokens -n '__tokens_at '\''profile add'\''' -l api-url -r -d 'the server, e.g. https://tokens.example.com'
complete -c tokens -n '__tokens_at '\''profile add'\''' -l output -x -a 'auto table tsv json' -d 'default output when --json is not given (auto = table on a terminal, TSV otherwise)'
complete -c tokens -n '__tokens_at '\''profile add'\''' -l use -d 'make it the current profile'
complete -c tokens -n '__tokens_arg '\''profile remove'\'' 0' -a '(__tokens_values profiles)'
complete -c tokens -n '__tokens_at '\''profile remove'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_at '\''create'\''' -l name -r -d 'unique among live tokens (1–100 characters)'
complete -c tokens -n '__tokens_at '\''create'\''' -l scope -x -a '(__tokens_values scopes)' -d 'scope to grant; repeat or comma-separate for several'
complete -c tokens -n '__tokens_at '\''create'\''' -l description -r -d 'what the token is for'
complete -c tokens -n '__tokens_at '\''create'\''' -l expires -r -d 'a duration (90d, 12h), a date (2027-03-01), an ISO time, or never'
complete -c tokens -n '__tokens_at '\''create'\''' -l audience -r -d 'service it is valid for; repeatable (default: any)'
complete -c tokens -n '__tokens_at '\''create'\''' -l cidr -r -d 'allowed client address or CIDR block; repeatable (default: any)'
complete -c tokens -n '__tokens_at '\''create'\''' -l rate-limit -r -d 'requests per period, e.g. 100/1m'
complete -c tokens -n '__tokens_at '\''create'\''' -l max-uses -r -d 'usage quota: admitted verifies in all (1: single use)'
complete -c tokens -n '__tokens_at '\''create'\''' -l refill -r -d 'give the quota back uses over time, e.g. 1000/1d (up to --max-uses)'
complete -c tokens -n '__tokens_at '\''create'\''' -l metadata -r -d 'metadata entry; repeatable'
complete -c tokens -n '__tokens_at '\''create'\''' -l owner -r -d 'who answers for the token, e.g. alice@example.com or team-payments'
complete -c tokens -n '__tokens_at '\''create'\''' -l idempotency-key -r -d 'reuse on a re-run to get the same token back instead of a second one'
complete -c tokens -n '__tokens_at '\''list'\''' -l status -x -a 'active suspended revoked expired' -d 'only tokens with this status'
complete -c tokens -n '__tokens_at '\''list'\''' -l scope -x -a '(__tokens_values scopes)' -d 'only tokens holding this scope'
complete -c tokens -n '__tokens_at '\''list'\''' -l name-prefix -r -d 'only tokens whose name starts with this'
complete -c tokens -n '__tokens_at '\''list'\''' -l expiring-within -r -d 'only tokens expiring within this long (e.g. 14d)'
complete -c tokens -n '__tokens_at '\''list'\''' -l unused-for -r -d 'only tokens not used for this long (a never-used token counts from its creation)'
complete -c tokens -n '__tokens_at '\''list'\''' -l older-than -r -d 'only tokens created longer ago than this (e.g. 90d)'
complete -c tokens -n '__tokens_at '\''list'\''' -l owner -r -d 'only tokens with exactly this owner (e.g. alice@example.com)'
complete -c tokens -n '__tokens_at '\''list'\''' -l created-by -x -a '(__tokens_values live-tokens)' -d 'only tokens created by this token (id, name or start prefix)'
complete -c tokens -n '__tokens_at '\''list'\''' -l all -d 'include revoked and expired tokens'
complete -c tokens -n '__tokens_at '\''list'\''' -l limit -r -d 'at most this many tokens'
complete -c tokens -n '__tokens_arg '\''show'\'' 0' -a '(__tokens_values live-tokens)'
complete -c tokens -n '__tokens_arg '\''update'\'' 0' -a '(__tokens_values live-tokens)'
complete -c tokens -n '__tokens_at '\''update'\''' -l name -r -d 'new name'
complete -c tokens -n '__tokens_at '\''update'\''' -l description -r -d 'new description'
complete -c tokens -n '__tokens_at '\''update'\''' -l owner -r -d 'new owner (e.g. bob@example.com)'
complete -c tokens -n '__tokens_at '\''update'\''' -l clear-owner -d 'no owner'
complete -c tokens -n '__tokens_at '\''update'\''' -l expires -r -d 'a duration (90d), a date (2027-03-01), an ISO time, or never'
complete -c tokens -n '__tokens_at '\''update'\''' -l audience -r -d 'replace the audiences; repeatable'
complete -c tokens -n '__tokens_at '\''update'\''' -l clear-audiences -d 'valid for any audience'
complete -c tokens -n '__tokens_at '\''update'\''' -l cidr -r -d 'replace the allowed CIDR blocks; repeatable'
complete -c tokens -n '__tokens_at '\''update'\''' -l clear-cidrs -d 'allowed from any address'
complete -c tokens -n '__tokens_at '\''update'\''' -l rate-limit -r -d 'requests per period (100/1m), or none'
complete -c tokens -n '__tokens_at '\''update'\''' -l max-uses -r -d 'usage quota in all (1: single use), or none'
complete -c tokens -n '__tokens_at '\''update'\''' -l refill -r -d 'quota refill, e.g. 1000/1d, or none'
complete -c tokens -n '__tokens_at '\''update'\''' -l metadata -r -d 'set one metadata entry (KEY= removes it); repeatable'
complete -c tokens -n '__tokens_arg '\''scopes'\'' 0' -a 'add' -d 'Grant scopes to a token (only scopes you hold yourself)'
complete -c tokens -n '__tokens_arg '\''scopes'\'' 0' -a 'remove' -d 'Take scopes away from a token'
complete -c tokens -n '__tokens_arg '\''scopes'\'' 0' -a 'set' -d 'Replace a token'\''s scopes'
complete -c tokens -n '__tokens_arg '\''scopes'\'' 0' -a 'catalog' -d 'The catalog of scopes tokens can be granted'
complete -c tokens -n '__tokens_arg '\''scopes add'\'' 0' -a '(__tokens_values live-tokens)'
complete -c tokens -n '__tokens_arg '\''scopes add'\'' 1+' -a '(__tokens_values scopes)'
complete -c tokens -n '__tokens_arg '\''scopes remove'\'' 0' -a '(__tokens_values live-tokens)'
complete -c tokens -n '__tokens_arg '\''scopes remove'\'' 1+' -a '(__tokens_values scopes)'
complete -c tokens -n '__tokens_at '\''scopes remove'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_arg '\''scopes set'\'' 0' -a '(__tokens_values live-tokens)'
complete -c tokens -n '__tokens_arg '\''scopes set'\'' 1+' -a '(__tokens_values scopes)'
complete -c tokens -n '__tokens_at '\''scopes set'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_arg '\''scopes catalog'\'' 0' -a 'list' -d 'List the built-in and custom scopes'
complete -c tokens -n '__tokens_arg '\''scopes catalog'\'' 0' -a 'add' -d 'Register a custom scope (needs management)'
complete -c tokens -n '__tokens_arg '\''scopes catalog'\'' 0' -a 'remove' -d 'Remove a custom scope that no live token holds (needs management)'
complete -c tokens -n '__tokens_at '\''scopes catalog add'\''' -l description -r -d 'what the scope allows'
complete -c tokens -n '__tokens_arg '\''scopes catalog remove'\'' 0' -a '(__tokens_values custom-scopes)'
complete -c tokens -n '__tokens_at '\''scopes catalog remove'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_arg '\''rotate'\'' 0+' -a '(__tokens_values active-tokens)'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l status -x -a 'active suspended revoked expired' -d 'only tokens with this status'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l scope -x -a '(__tokens_values scopes)' -d 'only tokens holding this scope'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l name-prefix -r -d 'only tokens whose name starts with this'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l expiring-within -r -d 'only tokens expiring within this long (e.g. 14d)'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l unused-for -r -d 'only tokens not used for this long (a never-used token counts from its creation)'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l older-than -r -d 'only tokens created longer ago than this (e.g. 90d)'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l owner -r -d 'only tokens with exactly this owner (e.g. alice@example.com)'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l created-by -x -a '(__tokens_values live-tokens)' -d 'only tokens created by this token (id, name or start prefix)'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l overlap -r -d 'how long the old secret keeps working once the new one is delivered (e.g. 24h; 0s = stop at once)'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l deliver -r -d 'run this shell command with the new secret on its stdin (never in its arguments)'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l deliver-file -r -F -d 'write the new secret to this file (0600, atomic); {name} becomes the token name'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l deliver-timeout -r -d 'stop a --deliver command that runs longer than this'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l dry-run -d 'list the tokens it would act on and change nothing'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l idempotency-key -r -d 'send this key instead of the one derived from the token and your credential'
complete -c tokens -n '__tokens_at '\''rotate'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_arg '\''revoke'\'' 0+' -a '(__tokens_values live-tokens)'
complete -c tokens -n '__tokens_at '\''revoke'\''' -l value -r -d 'read leaked secrets from standard input ("-"), one per line; never pass a secret itself'
complete -c tokens -n '__tokens_at '\''revoke'\''' -l status -x -a 'active suspended revoked expired' -d 'only tokens with this status'
complete -c tokens -n '__tokens_at '\''revoke'\''' -l scope -x -a '(__tokens_values scopes)' -d 'only tokens holding this scope'
complete -c tokens -n '__tokens_at '\''revoke'\''' -l name-prefix -r -d 'only tokens whose name starts with this'
complete -c tokens -n '__tokens_at '\''revoke'\''' -l expiring-within -r -d 'only tokens expiring within this long (e.g. 14d)'
complete -c tokens -n '__tokens_at '\''revoke'\''' -l unused-for -r -d 'only tokens not used for this long (a never-used token counts from its creation)'
complete -c tokens -n '__tokens_at '\''revoke'\''' -l older-than -r -d 'only tokens created longer ago than this (e.g. 90d)'
complete -c tokens -n '__tokens_at '\''revoke'\''' -l owner -r -d 'only tokens with exactly this owner (e.g. alice@example.com)'
complete -c tokens -n '__tokens_at '\''revoke'\''' -l created-by -x -a '(__tokens_values live-tokens)' -d 'only tokens created by this token (id, name or start prefix)'
complete -c tokens -n '__tokens_at '\''revoke'\''' -l reason -r -d 'why; recorded in the audit log'
complete -c tokens -n '__tokens_at '\''revoke'\''' -l dry-run -d 'list the tokens it would act on and change nothing'
complete -c tokens -n '__tokens_at '\''revoke'\''' -l include-self -d 'allow acting on the credential this command itself uses'
complete -c tokens -n '__tokens_at '\''revoke'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_arg '\''suspend'\'' 0+' -a '(__tokens_values active-tokens)'
complete -c tokens -n '__tokens_at '\''suspend'\''' -l status -x -a 'active suspended revoked expired' -d 'only tokens with this status'
complete -c tokens -n '__tokens_at '\''suspend'\''' -l scope -x -a '(__tokens_values scopes)' -d 'only tokens holding this scope'
complete -c tokens -n '__tokens_at '\''suspend'\''' -l name-prefix -r -d 'only tokens whose name starts with this'
complete -c tokens -n '__tokens_at '\''suspend'\''' -l expiring-within -r -d 'only tokens expiring within this long (e.g. 14d)'
complete -c tokens -n '__tokens_at '\''suspend'\''' -l unused-for -r -d 'only tokens not used for this long (a never-used token counts from its creation)'
complete -c tokens -n '__tokens_at '\''suspend'\''' -l older-than -r -d 'only tokens created longer ago than this (e.g. 90d)'
complete -c tokens -n '__tokens_at '\''suspend'\''' -l owner -r -d 'only tokens with exactly this owner (e.g. alice@example.com)'
complete -c tokens -n '__tokens_at '\''suspend'\''' -l created-by -x -a '(__tokens_values live-tokens)' -d 'only tokens created by this token (id, name or start prefix)'
complete -c tokens -n '__tokens_at '\''suspend'\''' -l reason -r -d 'why; recorded in the audit log'
complete -c tokens -n '__tokens_at '\''suspend'\''' -l dry-run -d 'list the tokens it would act on and change nothing'
complete -c tokens -n '__tokens_at '\''suspend'\''' -l include-self -d 'allow acting on the credential this command itself uses'
complete -c tokens -n '__tokens_at '\''suspend'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_arg '\''resume'\'' 0+' -a '(__tokens_values suspended-tokens)'
complete -c tokens -n '__tokens_at '\''resume'\''' -l status -x -a 'active suspended revoked expired' -d 'only tokens with this status'
complete -c tokens -n '__tokens_at '\''resume'\''' -l scope -x -a '(__tokens_values scopes)' -d 'only tokens holding this scope'
complete -c tokens -n '__tokens_at '\''resume'\''' -l name-prefix -r -d 'only tokens whose name starts with this'
complete -c tokens -n '__tokens_at '\''resume'\''' -l expiring-within -r -d 'only tokens expiring within this long (e.g. 14d)'
complete -c tokens -n '__tokens_at '\''resume'\''' -l unused-for -r -d 'only tokens not used for this long (a never-used token counts from its creation)'
complete -c tokens -n '__tokens_at '\''resume'\''' -l older-than -r -d 'only tokens created longer ago than this (e.g. 90d)'
complete -c tokens -n '__tokens_at '\''resume'\''' -l owner -r -d 'only tokens with exactly this owner (e.g. alice@example.com)'
complete -c tokens -n '__tokens_at '\''resume'\''' -l created-by -x -a '(__tokens_values live-tokens)' -d 'only tokens created by this token (id, name or start prefix)'
complete -c tokens -n '__tokens_at '\''resume'\''' -l reason -r -d 'why; recorded in the audit log'
complete -c tokens -n '__tokens_at '\''resume'\''' -l dry-run -d 'list the tokens it would act on and change nothing'
complete -c tokens -n '__tokens_at '\''resume'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_at '\''audit'\''' -l token -x -a '(__tokens_values live-tokens)' -d 'events about this token (id, name or start prefix)'
complete -c tokens -n '__tokens_at '\''audit'\''' -l target -r -d 'events about this target id or scope name'
complete -c tokens -n '__tokens_at '\''audit'\''' -l actor -r -d 'events by this token id'
complete -c tokens -n '__tokens_at '\''audit'\''' -l action -r -d 'only this action, e.g. token.revoked'
complete -c tokens -n '__tokens_at '\''audit'\''' -l since -r -d 'from this long ago (24h, 7d) or this date'
complete -c tokens -n '__tokens_at '\''audit'\''' -l until -r -d 'up to this long ago or this date'
complete -c tokens -n '__tokens_at '\''audit'\''' -l limit -r -d 'only the newest N events'
complete -c tokens -n '__tokens_arg '\''usage'\'' 0' -a '(__tokens_values live-tokens)'
complete -c tokens -n '__tokens_at '\''usage'\''' -l since -r -d 'from this long ago (24h, 30d) or this date (default: 24h, or 30d by day)'
complete -c tokens -n '__tokens_at '\''usage'\''' -l until -r -d 'up to this long ago or this date (default: now)'
complete -c tokens -n '__tokens_at '\''usage'\''' -l granularity -x -a 'hour day' -d 'hour or day (default: hour for up to 3 recent days, else day)'
complete -c tokens -n '__tokens_at '\''usage'\''' -l top -r -d 'list the N most used tokens instead of one token’s history'
complete -c tokens -n '__tokens_at '\''usage'\''' -l by -x -a 'uses refused' -d 'with --top: rank by uses or by refusals'
complete -c tokens -n '__tokens_arg '\''webhooks'\'' 0' -a 'add' -d 'Add a webhook; its signing secret is shown once'
complete -c tokens -n '__tokens_arg '\''webhooks'\'' 0' -a 'list' -d 'List the webhooks'
complete -c tokens -n '__tokens_arg '\''webhooks'\'' 0' -a 'remove' -d 'Remove a webhook and its deliveries'
complete -c tokens -n '__tokens_arg '\''webhooks'\'' 0' -a 'test' -d 'Send a test event and report whether the receiver took it'
complete -c tokens -n '__tokens_arg '\''webhooks'\'' 0' -a 'deliveries' -d 'A webhook'\''s deliveries, newest first'
complete -c tokens -n '__tokens_at '\''webhooks add'\''' -l event -x -a 'token.created token.updated token.scopes_changed token.rotated token.suspended token.resumed token.revoked token.expiring token.expired token.quota_exhausted auth.denied.burst' -d 'an event to send (repeat, or comma-separate)'
complete -c tokens -n '__tokens_at '\''webhooks add'\''' -l all-events -d 'send every event'
complete -c tokens -n '__tokens_at '\''webhooks add'\''' -l format -x -a 'standard slack' -d 'standard (signed JSON) or slack ({"text": …})'
complete -c tokens -n '__tokens_at '\''webhooks add'\''' -l description -r -d 'what the webhook is for'
complete -c tokens -n '__tokens_at '\''webhooks remove'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_at '\''webhooks test'\''' -l wait -r -d 'how long to wait for the outcome (0: only queue it)'
complete -c tokens -n '__tokens_at '\''webhooks deliveries'\''' -l state -x -a 'pending delivered failed' -d 'only deliveries in this state'
complete -c tokens -n '__tokens_at '\''webhooks deliveries'\''' -l limit -r -d 'at most this many (newest first)'
complete -c tokens -n '__tokens_at '\''check'\''' -l expiring-within -r -d 'report tokens expiring within this long'
complete -c tokens -n '__tokens_at '\''check'\''' -l unused-for -r -d 'report tokens not used for this long'
complete -c tokens -n '__tokens_arg '\''scan'\'' 0+' -F
complete -c tokens -n '__tokens_at '\''scan'\''' -l prefix -r -d 'only secrets with this prefix (default: any, checksum checked)'
complete -c tokens -n '__tokens_at '\''scan'\''' -l offline -d 'do not ask the server which secrets are live'
complete -c tokens -n '__tokens_at '\''scan'\''' -l revoke -d 'revoke the tokens of the live and suspended secrets found'
complete -c tokens -n '__tokens_at '\''scan'\''' -l reason -r -d 'why; recorded in the audit log'
complete -c tokens -n '__tokens_at '\''scan'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_arg '\''policy'\'' 0' -a 'list' -d 'List the policies'
complete -c tokens -n '__tokens_arg '\''policy'\'' 0' -a 'set' -d 'Set the rules of a scope (replacing its earlier ones); needs management'
complete -c tokens -n '__tokens_arg '\''policy'\'' 0' -a 'remove' -d 'Remove the policy of a scope; needs management'
complete -c tokens -n '__tokens_arg '\''policy set'\'' 0' -a '(__tokens_values scopes)'
complete -c tokens -n '__tokens_at '\''policy set'\''' -l max-ttl -r -d 'tokens expire at most this long after creation (e.g. 90d)'
complete -c tokens -n '__tokens_at '\''policy set'\''' -l require-expiry -d 'tokens must have an expiry'
complete -c tokens -n '__tokens_at '\''policy set'\''' -l require-cidr -d 'tokens must be limited to addresses (--cidr)'
complete -c tokens -n '__tokens_at '\''policy set'\''' -l max-rate-limit -r -d 'tokens must have a rate limit of at most this (e.g. 100/1m)'
complete -c tokens -n '__tokens_at '\''policy set'\''' -l require-owner -d 'tokens must have an owner'
complete -c tokens -n '__tokens_arg '\''policy remove'\'' 0' -a '(__tokens_values scopes)'
complete -c tokens -n '__tokens_at '\''policy remove'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_at '\''export'\''' -s o -l output -r -F -d 'write to this file (0600) instead of stdout'
complete -c tokens -n '__tokens_at '\''export'\''' -l include-hashes -d 'add every secret'\''s digest and pepper version, so that an import restores the secrets too'
complete -c tokens -n '__tokens_arg '\''import'\'' 0' -F
complete -c tokens -n '__tokens_at '\''import'\''' -l dry-run -d 'list the tokens it would act on and change nothing'
complete -c tokens -n '__tokens_at '\''server'\''' -l port -r -d 'TCP port (0 picks a free one)'
complete -c tokens -n '__tokens_at '\''server'\''' -l host -r -d 'address to listen on'
complete -c tokens -n '__tokens_at '\''server'\''' -l db -r -F -d 'SQLite file (default: $XDG_DATA_HOME/tokens/tokens.db)'
complete -c tokens -n '__tokens_at '\''server'\''' -l database-url -r -d 'PostgreSQL URL instead of the embedded store'
complete -c tokens -n '__tokens_at '\''server'\''' -l bootstrap-file -r -F -d 'write the first management secret here (0600) instead of printing it'
complete -c tokens -n '__tokens_at '\''server'\''' -l pepper-file -r -F -d 'HMAC pepper file (default: beside the SQLite file, created 0600)'
complete -c tokens -n '__tokens_at '\''server'\''' -l secret-prefix -r -d 'prefix of issued secrets, for secret scanners'
complete -c tokens -n '__tokens_at '\''server'\''' -l public-url -r -d 'the URL clients reach the server at (behind a proxy): the issuer in /.well-known/oauth-authorization-server'
complete -c tokens -n '__tokens_at '\''server'\''' -l trust-proxy -r -d 'comma-separated proxies whose X-Forwarded-For/X-Real-IP is believed'
complete -c tokens -n '__tokens_at '\''server'\''' -l session-idle-timeout -r -d 'console sessions end after this long without a request'
complete -c tokens -n '__tokens_at '\''server'\''' -l session-lifetime -r -d 'console sessions end this long after sign-in'
complete -c tokens -n '__tokens_at '\''server'\''' -l log-level -x -a 'fatal error warn info debug silent' -d 'log level'
complete -c tokens -n '__tokens_at '\''server'\''' -l tls-cert -r -F -d 'serve HTTPS with this certificate (PEM, with its chain); re-read on SIGHUP and when it changes'
complete -c tokens -n '__tokens_at '\''server'\''' -l tls-key -r -F -d 'the certificate'\''s private key (PEM, unencrypted)'
complete -c tokens -n '__tokens_at '\''server'\''' -l tls-client-ca -r -F -d 'ask callers for a client certificate issued by this CA (mutual TLS for gateways)'
complete -c tokens -n '__tokens_at '\''server'\''' -l require-client-cert-for-verify -d 'refuse verify calls (introspect, /v1/auth) without a client certificate from --tls-client-ca'
complete -c tokens -n '__tokens_at '\''server'\''' -l no-usage-history -d 'keep only last_used_at and use_count, not the per-hour usage history'
complete -c tokens -n '__tokens_at '\''server'\''' -l usage-hourly-retention -r -d 'how long usage history is kept by hour before it is rolled up into days'
complete -c tokens -n '__tokens_at '\''server'\''' -l allow-private-webhooks -d 'let webhooks reach loopback, private and link-local addresses (refused by default: SSRF)'
complete -c tokens -n '__tokens_at '\''server'\''' -l burst-threshold -r -d 'send auth.denied.burst when one token is refused more than this many times in a minute'
complete -c tokens -n '__tokens_at '\''server'\''' -l webhook-timeout -r -d 'how long a webhook receiver has to answer one delivery attempt'
complete -c tokens -n '__tokens_at '\''server'\''' -l headers-timeout -r -d 'a connection has this long to send a request line and headers (then 408, closed)'
complete -c tokens -n '__tokens_at '\''server'\''' -l request-timeout -r -d 'a connection has this long to send a whole request, body included (then 408, closed)'
complete -c tokens -n '__tokens_at '\''server'\''' -l keep-alive-timeout -r -d 'an idle keep-alive connection is closed after this long'
complete -c tokens -n '__tokens_at '\''server'\''' -l max-connections -r -d 'connections open at once; more are closed on arrival without an answer (0: no cap)'
complete -c tokens -n '__tokens_at '\''server'\''' -l usage-daily-retention -r -d 'how long usage history is kept by day'
complete -c tokens -n '__tokens_arg '\''completion'\'' 0' -a 'bash zsh fish'
complete -c tokens -l profile -x -a '(__tokens_values profiles)' -d 'profile to use (default: TOKENS_PROFILE, then the current profile)'
complete -c tokens -l json -d 'print JSON (with schema_version) instead of a table or TSV'
complete -c tokens -s q -l quiet -d 'print only ids (for create/rotate: only the new secret)'
complete -c tokens -l field -r -d 'print only this field (a JSON key, e.g. id, status, expires_at)'
complete -c tokens -l token-stdin -d 'read your own credential from standard input for this command'
complete -c tokens -l insecure-http -d 'allow plain http to a non-loopback API URL'
complete -c tokens -l ca-file -r -F -d 'trust this CA certificate (PEM) for the server'\''s TLS certificate (default: TOKENS_CA_FILE, then the profile'\''s)'
complete -c tokens -l debug -d 'print HTTP requests and timings to stderr (secrets redacted)'
complete -c tokens -s h -l help -d 'show help'
complete -c tokens -s V -l version -d 'show the version'
