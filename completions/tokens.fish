# fish completion for tokens: generated from the command tree by scripts/build.mjs; do not edit.
# Load with: tokens completion fish | source   or save as ~/.config/fish/completions/tokens.fish

function __tokens_subcommands
    switch "$argv[1]"
        case ''
            printf '%s\n' 'login' 'logout' 'whoami' 'profile' 'create' 'list' 'show' 'update' 'scopes' 'rotate' 'revoke' 'suspend' 'resume' 'audit' 'export' 'server' 'completion'
        case 'profile'
            printf '%s\n' 'list' 'use' 'add' 'remove'
        case 'scopes'
            printf '%s\n' 'add' 'remove' 'set' 'catalog'
        case 'scopes catalog'
            printf '%s\n' 'list' 'add' 'remove'
    end
end

function __tokens_takes_value
    switch "$argv[1]|$argv[2]"
        case '*|--profile' '*|--field' 'login|--api-url' 'profile add|--api-url' 'profile add|--output' 'create|--name' 'create|--scope' 'create|--description' 'create|--expires' 'create|--audience' 'create|--cidr' 'create|--rate-limit' 'create|--metadata' 'create|--idempotency-key' 'list|--status' 'list|--scope' 'list|--name-prefix' 'list|--expiring-within' 'list|--unused-for' 'list|--older-than' 'list|--limit' 'update|--name' 'update|--description' 'update|--expires' 'update|--audience' 'update|--cidr' 'update|--rate-limit' 'update|--metadata' 'scopes catalog add|--description' 'rotate|--overlap' 'rotate|--idempotency-key' 'revoke|--reason' 'suspend|--reason' 'resume|--reason' 'audit|--token' 'audit|--target' 'audit|--actor' 'audit|--action' 'audit|--since' 'audit|--until' 'audit|--limit' 'export|-o' 'export|--output' 'server|--port' 'server|--host' 'server|--db' 'server|--database-url' 'server|--bootstrap-file' 'server|--pepper-file' 'server|--secret-prefix' 'server|--trust-proxy' 'server|--log-level'
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
complete -c tokens -n '__tokens_at '\'''\''' -a 'login' -d 'Store your credential for a profile (OS keychain), after checking it with the server'
complete -c tokens -n '__tokens_at '\'''\''' -a 'logout' -d 'Remove a profile'\''s stored credential'
complete -c tokens -n '__tokens_at '\'''\''' -a 'whoami' -d 'Show the profile, API URL, credential source and the token you act as'
complete -c tokens -n '__tokens_at '\'''\''' -a 'profile' -d 'List, add, switch and remove profiles (API URL and default output)'
complete -c tokens -n '__tokens_at '\'''\''' -a 'create' -d 'Create a token; its secret is shown once'
complete -c tokens -n '__tokens_at '\'''\''' -a 'list' -d 'List tokens, with filters'
complete -c tokens -n '__tokens_at '\'''\''' -a 'show' -d 'Show one token'
complete -c tokens -n '__tokens_at '\'''\''' -a 'update' -d 'Change a token'\''s name, description, expiry, CIDRs, audiences, rate limit or metadata'
complete -c tokens -n '__tokens_at '\'''\''' -a 'scopes' -d 'Edit a token'\''s scopes, or the catalog of custom scopes'
complete -c tokens -n '__tokens_at '\'''\''' -a 'rotate' -d 'Replace a token with a successor holding a new secret'
complete -c tokens -n '__tokens_at '\'''\''' -a 'revoke' -d 'Revoke a token for good'
complete -c tokens -n '__tokens_at '\'''\''' -a 'suspend' -d 'Suspend a token until it is resumed'
complete -c tokens -n '__tokens_at '\'''\''' -a 'resume' -d 'Resume a suspended token'
complete -c tokens -n '__tokens_at '\'''\''' -a 'audit' -d 'Read the audit log'
complete -c tokens -n '__tokens_at '\'''\''' -a 'export' -d 'Export all token metadata and the scope catalog as JSON (never secrets)'
complete -c tokens -n '__tokens_at '\'''\''' -a 'server' -d 'Run the management API server (embedded SQLite store by default)'
complete -c tokens -n '__tokens_at '\'''\''' -a 'completion' -d 'Print the shell completion script for bash, zsh or fish'
complete -c tokens -n '__tokens_at '\''login'\''' -l api-url -r -d 'server of this profile (creates the profile if needed)'
complete -c tokens -n '__tokens_at '\''login'\''' -l insecure-storage -d 'keep the secret in a 0600 file instead of the OS keychain'
complete -c tokens -n '__tokens_at '\''login'\''' -l status -d 'show which credential is in use and whom it belongs to'
complete -c tokens -n '__tokens_at '\''login'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''logout'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_at '\''logout'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''whoami'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''profile'\''' -a 'list' -d 'List profiles; * marks the current one'
complete -c tokens -n '__tokens_at '\''profile'\''' -a 'use' -d 'Make a profile the current one'
complete -c tokens -n '__tokens_at '\''profile'\''' -a 'add' -d 'Add a profile, or change the API URL or output of an existing one'
complete -c tokens -n '__tokens_at '\''profile'\''' -a 'remove' -d 'Remove a profile and its stored credential'
complete -c tokens -n '__tokens_at '\''profile'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''profile list'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''profile use'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''profile add'\''' -l api-url -r -d 'the server, e.g. https://tokens.example.com'
complete -c tokens -n '__tokens_at '\''profile add'\''' -l output -x -a 'auto table tsv json' -d 'default output when --json is not given (auto = table on a terminal, TSV otherwise)'
complete -c tokens -n '__tokens_at '\''profile add'\''' -l use -d 'make it the current profile'
complete -c tokens -n '__tokens_at '\''profile add'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''profile remove'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_at '\''profile remove'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''create'\''' -l name -r -d 'unique among live tokens (1–100 characters)'
complete -c tokens -n '__tokens_at '\''create'\''' -l scope -r -d 'scope to grant; repeat or comma-separate for several'
complete -c tokens -n '__tokens_at '\''create'\''' -l description -r -d 'what the token is for'
complete -c tokens -n '__tokens_at '\''create'\''' -l expires -r -d 'a duration (90d, 12h), a date (2027-03-01), an ISO time, or never'
complete -c tokens -n '__tokens_at '\''create'\''' -l audience -r -d 'service it is valid for; repeatable (default: any)'
complete -c tokens -n '__tokens_at '\''create'\''' -l cidr -r -d 'allowed client address or CIDR block; repeatable (default: any)'
complete -c tokens -n '__tokens_at '\''create'\''' -l rate-limit -r -d 'requests per period, e.g. 100/1m'
complete -c tokens -n '__tokens_at '\''create'\''' -l metadata -r -d 'metadata entry; repeatable'
complete -c tokens -n '__tokens_at '\''create'\''' -l idempotency-key -r -d 'reuse on a re-run to get the same token back instead of a second one'
complete -c tokens -n '__tokens_at '\''create'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''list'\''' -l status -x -a 'active suspended revoked expired' -d 'only tokens with this status'
complete -c tokens -n '__tokens_at '\''list'\''' -l scope -r -d 'only tokens holding this scope'
complete -c tokens -n '__tokens_at '\''list'\''' -l name-prefix -r -d 'only tokens whose name starts with this'
complete -c tokens -n '__tokens_at '\''list'\''' -l expiring-within -r -d 'only tokens expiring within this long (e.g. 14d)'
complete -c tokens -n '__tokens_at '\''list'\''' -l unused-for -r -d 'only tokens not used for this long (a never-used token counts from its creation)'
complete -c tokens -n '__tokens_at '\''list'\''' -l older-than -r -d 'only tokens created longer ago than this (e.g. 90d)'
complete -c tokens -n '__tokens_at '\''list'\''' -l all -d 'include revoked and expired tokens'
complete -c tokens -n '__tokens_at '\''list'\''' -l limit -r -d 'at most this many tokens'
complete -c tokens -n '__tokens_at '\''list'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''show'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''update'\''' -l name -r -d 'new name'
complete -c tokens -n '__tokens_at '\''update'\''' -l description -r -d 'new description'
complete -c tokens -n '__tokens_at '\''update'\''' -l expires -r -d 'a duration (90d), a date (2027-03-01), an ISO time, or never'
complete -c tokens -n '__tokens_at '\''update'\''' -l audience -r -d 'replace the audiences; repeatable'
complete -c tokens -n '__tokens_at '\''update'\''' -l clear-audiences -d 'valid for any audience'
complete -c tokens -n '__tokens_at '\''update'\''' -l cidr -r -d 'replace the allowed CIDR blocks; repeatable'
complete -c tokens -n '__tokens_at '\''update'\''' -l clear-cidrs -d 'allowed from any address'
complete -c tokens -n '__tokens_at '\''update'\''' -l rate-limit -r -d 'requests per period (100/1m), or none'
complete -c tokens -n '__tokens_at '\''update'\''' -l metadata -r -d 'set one metadata entry (KEY= removes it); repeatable'
complete -c tokens -n '__tokens_at '\''update'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''scopes'\''' -a 'add' -d 'Grant scopes to a token (only scopes you hold yourself)'
complete -c tokens -n '__tokens_at '\''scopes'\''' -a 'remove' -d 'Take scopes away from a token'
complete -c tokens -n '__tokens_at '\''scopes'\''' -a 'set' -d 'Replace a token'\''s scopes'
complete -c tokens -n '__tokens_at '\''scopes'\''' -a 'catalog' -d 'The catalog of scopes tokens can be granted'
complete -c tokens -n '__tokens_at '\''scopes'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''scopes add'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''scopes remove'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_at '\''scopes remove'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''scopes set'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_at '\''scopes set'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''scopes catalog'\''' -a 'list' -d 'List the built-in and custom scopes'
complete -c tokens -n '__tokens_at '\''scopes catalog'\''' -a 'add' -d 'Register a custom scope (needs management)'
complete -c tokens -n '__tokens_at '\''scopes catalog'\''' -a 'remove' -d 'Remove a custom scope that no live token holds (needs management)'
complete -c tokens -n '__tokens_at '\''scopes catalog'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''scopes catalog list'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''scopes catalog add'\''' -l description -r -d 'what the scope allows'
complete -c tokens -n '__tokens_at '\''scopes catalog add'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''scopes catalog remove'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_at '\''scopes catalog remove'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l overlap -r -d 'how long the old secret keeps working (e.g. 24h; 0s = stop now)'
complete -c tokens -n '__tokens_at '\''rotate'\''' -l idempotency-key -r -d 'reuse on a re-run to get the same successor back'
complete -c tokens -n '__tokens_at '\''rotate'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_at '\''rotate'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''revoke'\''' -l reason -r -d 'why; recorded in the audit log'
complete -c tokens -n '__tokens_at '\''revoke'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_at '\''revoke'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''suspend'\''' -l reason -r -d 'why; recorded in the audit log'
complete -c tokens -n '__tokens_at '\''suspend'\''' -s y -l yes -d 'do not ask for confirmation (needed when there is no terminal)'
complete -c tokens -n '__tokens_at '\''suspend'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''resume'\''' -l reason -r -d 'why; recorded in the audit log'
complete -c tokens -n '__tokens_at '\''resume'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''audit'\''' -l token -r -d 'events about this token (id, name or start prefix)'
complete -c tokens -n '__tokens_at '\''audit'\''' -l target -r -d 'events about this target id or scope name'
complete -c tokens -n '__tokens_at '\''audit'\''' -l actor -r -d 'events by this token id'
complete -c tokens -n '__tokens_at '\''audit'\''' -l action -r -d 'only this action, e.g. token.revoked'
complete -c tokens -n '__tokens_at '\''audit'\''' -l since -r -d 'from this long ago (24h, 7d) or this date'
complete -c tokens -n '__tokens_at '\''audit'\''' -l until -r -d 'up to this long ago or this date'
complete -c tokens -n '__tokens_at '\''audit'\''' -l limit -r -d 'only the newest N events'
complete -c tokens -n '__tokens_at '\''audit'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''export'\''' -s o -l output -r -d 'write to this file (0600) instead of stdout'
complete -c tokens -n '__tokens_at '\''export'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''server'\''' -l port -r -d 'TCP port (0 picks a free one)'
complete -c tokens -n '__tokens_at '\''server'\''' -l host -r -d 'address to listen on'
complete -c tokens -n '__tokens_at '\''server'\''' -l db -r -d 'SQLite file (default: $XDG_DATA_HOME/tokens/tokens.db)'
complete -c tokens -n '__tokens_at '\''server'\''' -l database-url -r -d 'PostgreSQL URL instead of the embedded store'
complete -c tokens -n '__tokens_at '\''server'\''' -l bootstrap-file -r -d 'write the first management secret here (0600) instead of printing it'
complete -c tokens -n '__tokens_at '\''server'\''' -l pepper-file -r -d 'HMAC pepper file (default: beside the SQLite file, created 0600)'
complete -c tokens -n '__tokens_at '\''server'\''' -l secret-prefix -r -d 'prefix of issued secrets, for secret scanners'
complete -c tokens -n '__tokens_at '\''server'\''' -l trust-proxy -r -d 'comma-separated proxies whose X-Forwarded-For/X-Real-IP is believed'
complete -c tokens -n '__tokens_at '\''server'\''' -l log-level -x -a 'fatal error warn info debug silent' -d 'log level'
complete -c tokens -n '__tokens_at '\''server'\''' -s h -l help -d 'show help'
complete -c tokens -n '__tokens_at '\''completion'\''' -a 'bash zsh fish'
complete -c tokens -n '__tokens_at '\''completion'\''' -s h -l help -d 'show help'
complete -c tokens -l profile -x -a '(tokens profile list --quiet 2>/dev/null)' -d 'profile to use (default: TOKENS_PROFILE, then the current profile)'
complete -c tokens -l json -d 'print JSON (with schema_version) instead of a table or TSV'
complete -c tokens -s q -l quiet -d 'print only ids (for create/rotate: only the new secret)'
complete -c tokens -l field -r -d 'print only this field (a JSON key, e.g. id, status, expires_at)'
complete -c tokens -l token-stdin -d 'read your own credential from standard input for this command'
complete -c tokens -l insecure-http -d 'allow plain http to a non-loopback API URL'
complete -c tokens -l debug -d 'print HTTP requests and timings to stderr (secrets redacted)'
complete -c tokens -s h -l help -d 'show help'
complete -c tokens -s V -l version -d 'show the version'
complete -c tokens -n '__tokens_at '\''profile use'\''' -a '(tokens profile list --quiet 2>/dev/null)'
complete -c tokens -n '__tokens_at '\''profile remove'\''' -a '(tokens profile list --quiet 2>/dev/null)'
