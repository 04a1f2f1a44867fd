export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the store answers; shows the store and its schema version */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics, text format 0.0.4 */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This OpenAPI 3.1 document */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tokens, cursor-paginated in creation order (scope tokens:read) */
        get: operations["listTokens"];
        put?: never;
        /** Create a token; the secret is returned once (scope tokens:write) */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/revoke-by-value": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke tokens by their secret values, up to 1,000 at once (scope tokens:revoke or tokens:write) */
        post: operations["revokeTokensByValue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/lookup-by-value": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Which tokens secrets belong to and whether they work now, up to 1,000 at once; changes nothing (scope tokens:read or tokens:revoke or tokens:write) */
        post: operations["lookUpTokensByValue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show one token; ETag is its version (scope tokens:read) */
        get: operations["getToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update name, description, owner, expiry, CIDRs, audiences, rate limit or metadata; a change that loosens the token needs every scope it has (scope tokens:write) */
        patch: operations["updateToken"];
        trace?: never;
    };
    "/v1/tokens/{id}/scopes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add/remove or set the scopes of a token; only scopes the caller holds can be granted (scope tokens:write) */
        post: operations["editTokenScopes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate: create a successor with a new secret; the old token ends after overlap_seconds; needs every scope the token has, and not from itself (scope tokens:write) */
        post: operations["rotateToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}/rotate/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Complete a pending rotation: the old token now ends after its overlap (scope tokens:write) */
        post: operations["completeRotation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}/rotate/abort": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Abort a pending rotation: revoke the successor, keep the old token as it was (scope tokens:write) */
        post: operations["abortRotation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Suspend a token (scope tokens:revoke or tokens:write) */
        post: operations["suspendToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a suspended token; needs every scope the token has (scope tokens:write) */
        post: operations["resumeToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a token for good; revoking a revoked token succeeds (scope tokens:revoke or tokens:write) */
        post: operations["revokeToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's own token (any valid token) */
        get: operations["whoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scopes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Built-in and custom scopes (scope tokens:read) */
        get: operations["listScopes"];
        put?: never;
        /** Register a custom scope (scope management) */
        post: operations["createScope"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scopes/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a custom scope no live token holds (scope management) */
        delete: operations["deleteScope"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The policies: rules per scope, or * for every token (scope tokens:read) */
        get: operations["listPolicies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies/{scope}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set the policy of a scope (or * for every token), replacing its rules; checked on create, update, scope changes and rotation (scope management) */
        put: operations["setPolicy"];
        post?: never;
        /** Remove the policy of a scope (scope management) */
        delete: operations["removePolicy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, oldest first (order=desc: newest first), cursor-paginated (scope audit:read) */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A backup: all token metadata, the scope catalog and the policies, never secrets; include_hashes adds the secret digests (audited as such) (scope management) */
        get: operations["exportAll"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Restore an export: idempotent, never overwrites a newer version, all-or-nothing on a bad file; bodies up to 64 MiB; dry_run changes nothing (scope management) */
        post: operations["importAll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A token's admitted calls and refusals by hour or day, and its most frequent client addresses (scope tokens:read) */
        get: operations["getTokenUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The most used and the most refused tokens in a span (scope tokens:read) */
        get: operations["getUsageRanking"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The webhooks, never their secrets (scope management) */
        get: operations["listWebhooks"];
        put?: never;
        /** Add a webhook; its signing secret is returned once (scope management) */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook (scope management) */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /** Remove a webhook and its deliveries (scope management) */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queue a webhook.test event for this webhook; follow it in its deliveries (scope management) */
        post: operations["testWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A webhook's deliveries, newest first, cursor-paginated (scope management) */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The console session this request is in, its token and its CSRF token (404 with a bearer token) */
        get: operations["getSession"];
        put?: never;
        /** Sign in to the console: exchange a token secret for an HttpOnly session cookie (failed attempts count toward the per-address limit) */
        post: operations["signIn"];
        /** Sign out: end the console session (needs its CSRF token in X-CSRF-Token) */
        delete: operations["signOut"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-sent events for the console: one `ended` event (data: {reason, message}) when the session ends, by sign-out, a change to its token, or time */
        get: operations["watchSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/introspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * RFC 7662 introspection: is this token usable, for these scopes, this audience, from this address? (caller needs scope verify)
         * @description The caller authenticates with its own token holding scope verify: Authorization: Bearer <token>, HTTP Basic with any client id and the token as the password (client_secret_basic), or client_id and client_secret in the body (client_secret_post). Errors are OAuth errors (RFC 6749 §5.2) as application/json, with the problem+json members alongside; the caller is authenticated before the body is validated.
         */
        post: operations["introspectToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/oauth-authorization-server": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** RFC 8414 authorization server metadata: the issuer and the introspection endpoint */
        get: operations["getAuthorizationServerMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Forward-auth for nginx auth_request, Traefik ForwardAuth and Envoy ext_authz: 200 with X-Token-Id and X-Token-Scopes, else 401/403/429
         * @description Two credentials: the gateway's own token (scope verify) in X-Verifier-Token, and the token being checked in Authorization, exactly as the client sent it. Requirements given as query parameters and as headers add up (a client can only make them stricter). Any path below /v1/auth is the same endpoint, for Envoy ext_authz path_prefix.
         */
        get: operations["forwardAuth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Token: {
            id: string;
            name: string;
            description: string;
            scopes: string[];
            audiences: string[];
            allowed_cidrs: string[];
            rate_limit: {
                requests: number;
                per_seconds: number;
            } | null;
            max_uses: number | null;
            refill: {
                amount: number;
                /** @description seconds */
                every: number;
            } | null;
            uses_remaining: number | null;
            metadata: {
                [key: string]: string;
            };
            owner: string | null;
            /** @description display form: prefix and the first random characters */
            start: string;
            status: "active" | "suspended" | "revoked" | "expired";
            /** @description UTC ISO 8601 timestamp */
            created_at: string;
            created_by: string | null;
            expires_at: string | null;
            last_used_at: string | null;
            last_used_ip: string | null;
            use_count: number;
            revoked_at: string | null;
            revoked_by: string | null;
            revoke_reason: string | null;
            rotated_from: string | null;
            rotated_to: string | null;
            /** @description a rotation started with pending=true awaits complete or abort */
            rotation_pending: boolean;
            version: number;
        };
        Scope: {
            name: string;
            description: string;
            builtin: boolean;
            created_at: string | null;
            created_by: string | null;
        };
        AuditEvent: {
            id: string;
            /** @description UTC ISO 8601 timestamp */
            at: string;
            actor: string | null;
            actor_ip: string | null;
            action: string;
            target: string | null;
            reason: string | null;
            request_id: string | null;
            details: {
                [key: string]: unknown;
            };
        };
        Policy: {
            /** @description a scope, or * for every token */
            scope: string;
            max_ttl_seconds: number | null;
            require_expiry: boolean;
            require_cidr: boolean;
            max_rate_limit: {
                requests: number;
                per_seconds: number;
            } | null;
            require_owner: boolean;
            /** @description UTC ISO 8601 timestamp */
            created_at: string;
            created_by: string | null;
            /** @description UTC ISO 8601 timestamp */
            updated_at: string;
            updated_by: string | null;
        };
        /** @description RFC 9457 problem details */
        Problem: {
            /** @description urn:tokens:problem:<code> */
            type: string;
            /** @description the status's reason phrase */
            title: string;
            status: number;
            /** @description one line for people; never a secret */
            detail: string;
            /** @description stable, for programs: e.g. unauthenticated, invalid_request, not_found, name_taken, rate_limited */
            code: string;
            /** @description the X-Request-Id of the answer */
            request_id?: string;
            /** @description the field at fault, when there is one */
            errors?: {
                field: string;
                message: string;
            }[];
            /** @description code policy_violation: each rule the change would break */
            violations?: {
                /** @description the scope of the policy broken, or * */
                scope: string;
                rule: "max_ttl" | "require_expiry" | "require_cidr" | "max_rate_limit" | "require_owner";
                message: string;
                limit?: number | {
                    requests: number;
                    per_seconds: number;
                };
            }[];
        };
        /** @description the introspection endpoint's errors: OAuth members beside the problem+json ones, served as application/json */
        OAuthError: {
            /** @description RFC 6749 §5.2 / RFC 6750 §3.1: invalid_request (400), invalid_client (401, client_secret_basic/post or no credentials), invalid_token (401, Bearer), unauthorized_client (403, client credentials without scope verify), insufficient_scope (403, Bearer), temporarily_unavailable (429, 503), server_error (500) */
            error: "invalid_request" | "invalid_client" | "invalid_token" | "unauthorized_client" | "insufficient_scope" | "temporarily_unavailable" | "server_error";
            error_description: string;
            /** @description urn:tokens:problem:<code> */
            type: string;
            /** @description the status's reason phrase */
            title: string;
            status: number;
            /** @description one line for people; never a secret */
            detail: string;
            /** @description stable, for programs: e.g. unauthenticated, invalid_request, not_found, name_taken, rate_limited */
            code: string;
            /** @description the X-Request-Id of the answer */
            request_id?: string;
            /** @description the field at fault, when there is one */
            errors?: {
                field: string;
                message: string;
            }[];
            /** @description code policy_violation: each rule the change would break */
            violations?: {
                /** @description the scope of the policy broken, or * */
                scope: string;
                rule: "max_ttl" | "require_expiry" | "require_cidr" | "max_rate_limit" | "require_owner";
                message: string;
                limit?: number | {
                    requests: number;
                    per_seconds: number;
                };
            }[];
        };
    };
    responses: {
        /** @description Bad Request. The request is malformed (not well-formed HTTP/1.1, or a URL that is not valid percent-encoded UTF-8) or a field is invalid; `errors` names the field. */
        BadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Unauthorized. No valid token: missing, malformed, unknown, expired, suspended or revoked (or a console session that ended). */
        Unauthorized: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                "Set-Cookie": components["headers"]["Set-Cookie"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Forbidden. The token may not do this: a scope is missing, or it is used from an address outside its allowed CIDRs. */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Not Found. No such token, scope or policy. */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Request Timeout. The request line and headers, or the whole request, did not arrive in time; the connection is closed. */
        RequestTimeout: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Conflict. The request conflicts with the current state (a name taken, a token already rotated or revoked, a scope still held or with a policy, the same Idempotency-Key in flight). */
        Conflict: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Precondition Failed. If-Match names a version the token no longer has. */
        PreconditionFailed: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Content Too Large. The body is larger than the server accepts. */
        ContentTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description URI Too Long. A path segment is longer than the server accepts (200 characters). */
        URITooLong: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Unsupported Media Type. The body is not in a media type the operation accepts. */
        UnsupportedMediaType: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Unprocessable Content. This Idempotency-Key was used with a different request; or a policy refuses the change (`code` policy_violation, `violations` names each rule and its scope); or a backup's secret digests need a pepper (unknown_pepper_version) or secret prefix (secret_prefix_mismatch) this server does not have. */
        UnprocessableContent: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Too Many Requests. Too many failed authentications from this address, or a token over its rate limit. */
        TooManyRequests: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Request Header Fields Too Large. The request line and headers together are larger than the server accepts (16 KiB); the connection is closed. */
        RequestHeaderFieldsTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Internal Server Error. A bug; the request id finds it in the server log. */
        InternalServerError: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Service Unavailable. The store is not answering (`code` store_unavailable, on the verify endpoints unavailable, with Retry-After; a write whose outcome could not be learnt says so in `detail`), or the server is shutting down. */
        ServiceUnavailable: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Bad Request. The request is malformed (not well-formed HTTP/1.1, or a URL that is not valid percent-encoded UTF-8) or a field is invalid; `errors` names the field. An OAuth error (RFC 6749 §5.2) with the problem+json members alongside. */
        OAuthBadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description Unauthorized. No valid token: missing, malformed, unknown, expired, suspended or revoked (or a console session that ended). An OAuth error (RFC 6749 §5.2) with the problem+json members alongside. */
        OAuthUnauthorized: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                "Set-Cookie": components["headers"]["Set-Cookie"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description Forbidden. The token may not do this: a scope is missing, or it is used from an address outside its allowed CIDRs. An OAuth error (RFC 6749 §5.2) with the problem+json members alongside. */
        OAuthForbidden: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description Content Too Large. The body is larger than the server accepts. An OAuth error (RFC 6749 §5.2) with the problem+json members alongside. */
        OAuthContentTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description Unsupported Media Type. The body is not in a media type the operation accepts. An OAuth error (RFC 6749 §5.2) with the problem+json members alongside. */
        OAuthUnsupportedMediaType: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description Too Many Requests. Too many failed authentications from this address, or a token over its rate limit. An OAuth error (RFC 6749 §5.2) with the problem+json members alongside. */
        OAuthTooManyRequests: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description Internal Server Error. A bug; the request id finds it in the server log. An OAuth error (RFC 6749 §5.2) with the problem+json members alongside. */
        OAuthInternalServerError: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description Service Unavailable. The store is not answering (`code` store_unavailable, on the verify endpoints unavailable, with Retry-After; a write whose outcome could not be learnt says so in `detail`), or the server is shutting down. An OAuth error (RFC 6749 §5.2) with the problem+json members alongside. */
        OAuthServiceUnavailable: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "X-Frame-Options": components["headers"]["X-Frame-Options"];
                "Referrer-Policy": components["headers"]["Referrer-Policy"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description Answers about tokens are never cached */
        "Cache-Control": "no-store";
        /** @description default-src 'none'; frame-ancestors 'none' (not sent by the verify fast path) */
        "Content-Security-Policy": string;
        /** @description The token's version, quoted ("3"): send it back in If-Match to change the token only if nobody else did */
        ETag: string;
        /** @description Present when this is the stored answer to an earlier request with the same Idempotency-Key */
        "Idempotent-Replayed": "true";
        /** @description No referrer (not sent by the verify fast path) */
        "Referrer-Policy": "no-referrer";
        /** @description Seconds to wait before trying again (always sent with 429, and with 503 when the store is not answering) */
        "Retry-After": string;
        /** @description The console session cookie, set by sign-in and cleared (Max-Age=0) by sign-out and by a 401 for an ended session: HttpOnly, SameSite=Strict, Path=/; Secure and named __Host-tokens_session except on plain-HTTP loopback (tokens_session) */
        "Set-Cookie": string;
        /** @description HTTPS only from now on (sent when the server serves TLS: --tls-cert) */
        "Strict-Transport-Security": string;
        /** @description The Bearer challenge (RFC 6750); from the verify endpoints with error="invalid_token" or error="insufficient_scope". Introspection answers a caller that used HTTP Basic (client_secret_basic) with a Basic challenge and error="invalid_client" */
        "WWW-Authenticate": string;
        /** @description Asks a proxy in front (nginx) to pass the event stream on at once rather than buffer it */
        "X-Accel-Buffering": "no";
        /** @description No content sniffing */
        "X-Content-Type-Options": "nosniff";
        /** @description Never framed (not sent by the verify fast path, whose callers are gateways) */
        "X-Frame-Options": "DENY";
        /** @description Identifies the request in the server log: the caller's own X-Request-Id when it is 1–128 of A–Z a–z 0–9 . _ : -, else a new UUID */
        "X-Request-Id": string;
        /** @description The admitted token's id, for the upstream */
        "X-Token-Id": string;
        /** @description The admitted token's scopes, space-separated, for the upstream */
        "X-Token-Scopes": string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the process is up */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the store answers */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready";
                        store: "sqlite" | "postgres";
                        /** @description the last migration applied */
                        schema_version: number;
                        version: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            /** @description the store does not answer */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "unavailable";
                        store: "sqlite" | "postgres";
                    };
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            400: components["responses"]["BadRequest"];
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the OpenAPI document */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listTokens: {
        parameters: {
            query?: {
                /** @description one status, or several separated by commas (any of them) */
                status?: string;
                scope?: string;
                name?: string;
                name_prefix?: string;
                start_prefix?: string;
                /** @description UTC ISO 8601 timestamp */
                expires_before?: string;
                /** @description UTC ISO 8601 timestamp */
                unused_since?: string;
                /** @description UTC ISO 8601 timestamp */
                created_before?: string;
                /** @description created_at (default: oldest first), name, expires_at (never-expiring last) or last_used_at (never-used first); a leading "-" reverses it */
                sort?: "created_at" | "-created_at" | "name" | "-name" | "expires_at" | "-expires_at" | "last_used_at" | "-last_used_at";
                /** @description tokens with exactly this owner */
                owner?: string;
                /** @description tokens created by this token (its id) */
                created_by?: string;
                limit?: number;
                /** @description next_cursor of the previous page, with the same filters and sort */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Token"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description replays the first response for 24 h; 422 with a different body, 409 while in flight */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    description?: string;
                    scopes: string[];
                    audiences?: string[];
                    allowed_cidrs?: string[];
                    rate_limit?: {
                        requests: number;
                        per_seconds: number;
                    } | null;
                    max_uses?: number | null;
                    refill?: {
                        amount: number;
                        /** @description seconds */
                        every: number;
                    } | null;
                    /** @description string → string, at most 32 entries */
                    metadata?: {
                        [key: string]: string;
                    };
                    /** @description who answers for the token: free text such as an e-mail address or a team name */
                    owner?: string;
                    expires_at?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: components["schemas"]["Token"];
                        /** @description shown exactly once */
                        secret: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    revokeTokensByValue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    secrets: string[];
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** @description position in the request */
                            index: number;
                            result: "revoked" | "already_revoked" | "not_found" | "malformed";
                            id: string | null;
                            name: string | null;
                            start: string | null;
                        }[];
                        revoked: number;
                        already_revoked: number;
                        not_found: number;
                        malformed: number;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["ContentTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    lookUpTokensByValue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    secrets: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** @description position in the request */
                            index: number;
                            /** @description malformed: not a secret of this server (format, prefix or checksum) */
                            result: "found" | "not_found" | "malformed";
                            id: string | null;
                            name: string | null;
                            start: string | null;
                            status: ("active" | "suspended" | "revoked" | "expired") | null;
                            /** @description the secret works now: its token is active (not suspended, expired or revoked) */
                            live: boolean;
                        }[];
                        found: number;
                        live: number;
                        not_found: number;
                        malformed: number;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["ContentTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            414: components["responses"]["URITooLong"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description the ETag from GET; 412 when the token changed since */
                "if-match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    description?: string;
                    expires_at?: string | null;
                    allowed_cidrs?: string[];
                    audiences?: string[];
                    rate_limit?: {
                        requests: number;
                        per_seconds: number;
                    } | null;
                    max_uses?: number | null;
                    refill?: {
                        amount: number;
                        /** @description seconds */
                        every: number;
                    } | null;
                    /** @description string → string, at most 32 entries */
                    metadata?: {
                        [key: string]: string;
                    };
                    owner?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["ContentTooLarge"];
            414: components["responses"]["URITooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    editTokenScopes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    add?: string[];
                    remove?: string[];
                } | {
                    set: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            414: components["responses"]["URITooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    rotateToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description replays the first response for 24 h; 422 with a different body, 409 while in flight */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default 0 */
                    overlap_seconds?: number;
                    /** @description keep the old token fully valid until POST …/rotate/complete applies the overlap (or …/rotate/abort revokes the successor): deliver the new secret first */
                    pending?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: components["schemas"]["Token"];
                        /** @description the successor secret, shown exactly once */
                        secret: string;
                        predecessor: components["schemas"]["Token"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            414: components["responses"]["URITooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    completeRotation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: components["schemas"]["Token"];
                        successor: components["schemas"]["Token"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            414: components["responses"]["URITooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    abortRotation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: components["schemas"]["Token"];
                        successor: components["schemas"]["Token"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            414: components["responses"]["URITooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    suspendToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            414: components["responses"]["URITooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    resumeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            414: components["responses"]["URITooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["ContentTooLarge"];
            414: components["responses"]["URITooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    whoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: components["schemas"]["Token"];
                        server: {
                            version: string;
                            secret_prefix: string;
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listScopes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Scope"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createScope: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Scope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteScope: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description removed */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            414: components["responses"]["URITooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listPolicies: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Policy"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    setPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a scope, or * for every token */
                scope: "*" | string;
            };
            cookie?: never;
        };
        /** @description the whole policy: rules left out are off */
        requestBody: {
            content: {
                "application/json": {
                    max_ttl_seconds?: number | null;
                    /** @description tokens must have an expiry */
                    require_expiry?: boolean;
                    /** @description tokens must have at least one allowed CIDR block */
                    require_cidr?: boolean;
                    max_rate_limit?: {
                        requests: number;
                        per_seconds: number;
                    } | null;
                    /** @description tokens must have an owner */
                    require_owner?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Policy"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["ContentTooLarge"];
            414: components["responses"]["URITooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    removePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a scope, or * for every token */
                scope: "*" | string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description removed */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["ContentTooLarge"];
            414: components["responses"]["URITooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                target?: string;
                actor?: string;
                action?: string;
                /** @description UTC ISO 8601 timestamp */
                since?: string;
                /** @description UTC ISO 8601 timestamp */
                until?: string;
                /** @description asc (oldest first, default) or desc (newest first) */
                order?: "asc" | "desc";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AuditEvent"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    exportAll: {
        parameters: {
            query?: {
                /** @description add every token secret digest and its pepper version (audited) */
                include_hashes?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the format: 1 or 2 (this server writes 2) */
                        schema_version: number;
                        /** @description UTC ISO 8601 timestamp */
                        exported_at: string;
                        server?: {
                            version: string;
                            secret_prefix: string;
                        };
                        /** @description whether tokens carry restore.secret_hash (then their secrets work again after an import) */
                        include_hashes?: boolean;
                        /** @description the pepper versions the digests were made with (include_hashes) */
                        peppers?: {
                            version: number;
                            /** @description tells the same pepper from another under this version; reveals nothing of it */
                            check: string;
                        }[];
                        tokens: {
                            id: string;
                            name: string;
                            description: string;
                            scopes: string[];
                            audiences: string[];
                            allowed_cidrs: string[];
                            rate_limit: {
                                requests: number;
                                per_seconds: number;
                            } | null;
                            max_uses?: number | null;
                            refill?: {
                                amount: number;
                                /** @description seconds */
                                every: number;
                            } | null;
                            uses_remaining?: number | null;
                            /** @description string → string, at most 32 entries */
                            metadata: {
                                [key: string]: string;
                            };
                            owner?: string | null;
                            start: string;
                            /** @enum {string} */
                            status: "active" | "suspended" | "revoked" | "expired";
                            /** @description UTC ISO 8601 timestamp */
                            created_at: string;
                            created_by: string | null;
                            expires_at: string | null;
                            last_used_at: string | null;
                            last_used_ip: string | null;
                            use_count: number;
                            revoked_at: string | null;
                            revoked_by: string | null;
                            revoke_reason: string | null;
                            rotated_from: string | null;
                            rotated_to: string | null;
                            rotation_pending: boolean;
                            version: number;
                            /** @description what only a restore needs; the secret digest only with include_hashes */
                            restore?: {
                                /**
                                 * @description the stored status (an expired token is active or suspended)
                                 * @enum {string}
                                 */
                                status: "active" | "suspended" | "revoked";
                                pending_overlap_seconds: number | null;
                                /** @description HMAC-SHA-256 of the secret under the pepper, base64 */
                                secret_hash?: string;
                                pepper_version?: number;
                            };
                        }[];
                        scopes: {
                            name: string;
                            description: string;
                            builtin: boolean;
                            created_at: string | null;
                            created_by: string | null;
                        }[];
                        policies?: {
                            /** @description a scope, or * for every token */
                            scope: "*" | string;
                            max_ttl_seconds?: number | null;
                            /** @description tokens must have an expiry */
                            require_expiry?: boolean;
                            /** @description tokens must have at least one allowed CIDR block */
                            require_cidr?: boolean;
                            max_rate_limit?: {
                                requests: number;
                                per_seconds: number;
                            } | null;
                            /** @description tokens must have an owner */
                            require_owner?: boolean;
                            /** @description UTC ISO 8601 timestamp */
                            created_at: string;
                            created_by: string | null;
                            /** @description UTC ISO 8601 timestamp */
                            updated_at: string;
                            updated_by: string | null;
                        }[];
                        webhooks?: {
                            id: string;
                            /** @description http(s) URL; must resolve to a public address unless the server runs with --allow-private-webhooks */
                            url: string;
                            /** @description standard: the JSON event, signed per Standard Webhooks; slack: {"text": …} for a Slack incoming webhook */
                            format: "standard" | "slack";
                            events: ("token.created" | "token.updated" | "token.scopes_changed" | "token.rotated" | "token.suspended" | "token.resumed" | "token.revoked" | "token.expiring" | "token.expired" | "token.quota_exhausted" | "auth.denied.burst")[];
                            description: string;
                            /** @description UTC ISO 8601 timestamp */
                            created_at: string;
                            created_by: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    importAll: {
        parameters: {
            query?: {
                /** @description report what would happen and change nothing */
                dry_run?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the format: 1 or 2 (this server writes 2) */
                    schema_version: number;
                    /** @description UTC ISO 8601 timestamp */
                    exported_at: string;
                    server?: {
                        version: string;
                        secret_prefix: string;
                    };
                    /** @description whether tokens carry restore.secret_hash (then their secrets work again after an import) */
                    include_hashes?: boolean;
                    /** @description the pepper versions the digests were made with (include_hashes) */
                    peppers?: {
                        version: number;
                        /** @description tells the same pepper from another under this version; reveals nothing of it */
                        check: string;
                    }[];
                    tokens: {
                        id: string;
                        name: string;
                        description: string;
                        scopes: string[];
                        audiences: string[];
                        allowed_cidrs: string[];
                        rate_limit: {
                            requests: number;
                            per_seconds: number;
                        } | null;
                        max_uses?: number | null;
                        refill?: {
                            amount: number;
                            /** @description seconds */
                            every: number;
                        } | null;
                        uses_remaining?: number | null;
                        /** @description string → string, at most 32 entries */
                        metadata: {
                            [key: string]: string;
                        };
                        owner?: string | null;
                        start: string;
                        /** @enum {string} */
                        status: "active" | "suspended" | "revoked" | "expired";
                        /** @description UTC ISO 8601 timestamp */
                        created_at: string;
                        created_by: string | null;
                        expires_at: string | null;
                        last_used_at: string | null;
                        last_used_ip: string | null;
                        use_count: number;
                        revoked_at: string | null;
                        revoked_by: string | null;
                        revoke_reason: string | null;
                        rotated_from: string | null;
                        rotated_to: string | null;
                        rotation_pending: boolean;
                        version: number;
                        /** @description what only a restore needs; the secret digest only with include_hashes */
                        restore?: {
                            /**
                             * @description the stored status (an expired token is active or suspended)
                             * @enum {string}
                             */
                            status: "active" | "suspended" | "revoked";
                            pending_overlap_seconds: number | null;
                            /** @description HMAC-SHA-256 of the secret under the pepper, base64 */
                            secret_hash?: string;
                            pepper_version?: number;
                        };
                    }[];
                    scopes: {
                        name: string;
                        description: string;
                        builtin: boolean;
                        created_at: string | null;
                        created_by: string | null;
                    }[];
                    policies?: {
                        /** @description a scope, or * for every token */
                        scope: "*" | string;
                        max_ttl_seconds?: number | null;
                        /** @description tokens must have an expiry */
                        require_expiry?: boolean;
                        /** @description tokens must have at least one allowed CIDR block */
                        require_cidr?: boolean;
                        max_rate_limit?: {
                            requests: number;
                            per_seconds: number;
                        } | null;
                        /** @description tokens must have an owner */
                        require_owner?: boolean;
                        /** @description UTC ISO 8601 timestamp */
                        created_at: string;
                        created_by: string | null;
                        /** @description UTC ISO 8601 timestamp */
                        updated_at: string;
                        updated_by: string | null;
                    }[];
                    webhooks?: {
                        id: string;
                        /** @description http(s) URL; must resolve to a public address unless the server runs with --allow-private-webhooks */
                        url: string;
                        /** @description standard: the JSON event, signed per Standard Webhooks; slack: {"text": …} for a Slack incoming webhook */
                        format: "standard" | "slack";
                        events: ("token.created" | "token.updated" | "token.scopes_changed" | "token.rotated" | "token.suspended" | "token.resumed" | "token.revoked" | "token.expiring" | "token.expired" | "token.quota_exhausted" | "auth.denied.burst")[];
                        description: string;
                        /** @description UTC ISO 8601 timestamp */
                        created_at: string;
                        created_by: string | null;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        dry_run: boolean;
                        include_hashes: boolean;
                        summary: {
                            created: number;
                            updated: number;
                            skipped: number;
                            refused: number;
                        };
                        results: {
                            kind: "token" | "scope" | "policy" | "webhook";
                            /** @description token id, scope name, or policy scope */
                            id: string;
                            name: string | null;
                            result: "created" | "updated" | "skipped" | "refused";
                            detail: string;
                            /** @description a restored webhook's new signing secret (whsec_…), shown exactly once */
                            secret?: string;
                        }[];
                        notice: string | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["ContentTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getTokenUsage: {
        parameters: {
            query?: {
                /** @description UTC ISO 8601 timestamp */
                since?: string;
                /** @description UTC ISO 8601 timestamp */
                until?: string;
                /** @description default: hour for spans up to 3 days within the hourly retention, else day */
                granularity?: "hour" | "day";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the token id */
                        id: string;
                        name: string;
                        /** @description present when the token has a usage quota: what is left of it now */
                        quota?: {
                            max_uses: number;
                            uses_remaining: number;
                            refill: {
                                amount: number;
                                /** @description seconds */
                                every: number;
                            } | null;
                        };
                        granularity: "hour" | "day";
                        /** @description UTC ISO 8601 timestamp */
                        since: string;
                        /** @description UTC ISO 8601 timestamp */
                        until: string;
                        totals: {
                            uses: number;
                            refused: number;
                            /** @description verify calls that found this token and refused it, by reason */
                            refusals: {
                                revoked: number;
                                suspended: number;
                                expired: number;
                                ip: number;
                                audience: number;
                                scope: number;
                                rate_limited: number;
                                usage_exceeded: number;
                            };
                        };
                        /** @description every hour or day from since to until, oldest first, empty ones included */
                        buckets: {
                            /** @description UTC ISO 8601 timestamp */
                            start: string;
                            /** @description admitted calls: verifies that admitted the token, and management calls it authenticated */
                            uses: number;
                            /** @description the sum of refusals */
                            refused: number;
                            /** @description verify calls that found this token and refused it, by reason */
                            refusals: {
                                revoked: number;
                                suspended: number;
                                expired: number;
                                ip: number;
                                audience: number;
                                scope: number;
                                rate_limited: number;
                                usage_exceeded: number;
                            };
                        }[];
                        /** @description the most frequent client addresses in the span, most calls first */
                        addresses: {
                            address: string;
                            uses: number;
                            refused: number;
                        }[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            414: components["responses"]["URITooLong"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getUsageRanking: {
        parameters: {
            query?: {
                top?: number;
                /** @description UTC ISO 8601 timestamp */
                since?: string;
                /** @description UTC ISO 8601 timestamp */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description UTC ISO 8601 timestamp */
                        since: string;
                        /** @description UTC ISO 8601 timestamp */
                        until: string;
                        most_used: {
                            id: string;
                            name: string | null;
                            status: ("active" | "suspended" | "revoked" | "expired") | null;
                            uses: number;
                            refused: number;
                            /** @description verify calls that found this token and refused it, by reason */
                            refusals: {
                                revoked: number;
                                suspended: number;
                                expired: number;
                                ip: number;
                                audience: number;
                                scope: number;
                                rate_limited: number;
                                usage_exceeded: number;
                            };
                        }[];
                        most_refused: {
                            id: string;
                            name: string | null;
                            status: ("active" | "suspended" | "revoked" | "expired") | null;
                            uses: number;
                            refused: number;
                            /** @description verify calls that found this token and refused it, by reason */
                            refusals: {
                                revoked: number;
                                suspended: number;
                                expired: number;
                                ip: number;
                                audience: number;
                                scope: number;
                                rate_limited: number;
                                usage_exceeded: number;
                            };
                        }[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            id: string;
                            url: string;
                            /** @description standard: the JSON event, signed per Standard Webhooks; slack: {"text": …} for a Slack incoming webhook */
                            format: "standard" | "slack";
                            events: ("token.created" | "token.updated" | "token.scopes_changed" | "token.rotated" | "token.suspended" | "token.resumed" | "token.revoked" | "token.expiring" | "token.expired" | "token.quota_exhausted" | "auth.denied.burst")[];
                            description: string;
                            /** @description UTC ISO 8601 timestamp */
                            created_at: string;
                            created_by: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description http(s) URL; must resolve to a public address unless the server runs with --allow-private-webhooks */
                    url: string;
                    events: ("token.created" | "token.updated" | "token.scopes_changed" | "token.rotated" | "token.suspended" | "token.resumed" | "token.revoked" | "token.expiring" | "token.expired" | "token.quota_exhausted" | "auth.denied.burst")[];
                    /** @description standard: the JSON event, signed per Standard Webhooks; slack: {"text": …} for a Slack incoming webhook */
                    format?: "standard" | "slack";
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        webhook: {
                            id: string;
                            url: string;
                            /** @description standard: the JSON event, signed per Standard Webhooks; slack: {"text": …} for a Slack incoming webhook */
                            format: "standard" | "slack";
                            events: ("token.created" | "token.updated" | "token.scopes_changed" | "token.rotated" | "token.suspended" | "token.resumed" | "token.revoked" | "token.expiring" | "token.expired" | "token.quota_exhausted" | "auth.denied.burst")[];
                            description: string;
                            /** @description UTC ISO 8601 timestamp */
                            created_at: string;
                            created_by: string | null;
                        };
                        /** @description the signing secret (whsec_…), shown exactly once */
                        secret: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        url: string;
                        /** @description standard: the JSON event, signed per Standard Webhooks; slack: {"text": …} for a Slack incoming webhook */
                        format: "standard" | "slack";
                        events: ("token.created" | "token.updated" | "token.scopes_changed" | "token.rotated" | "token.suspended" | "token.resumed" | "token.revoked" | "token.expiring" | "token.expired" | "token.quota_exhausted" | "auth.denied.burst")[];
                        description: string;
                        /** @description UTC ISO 8601 timestamp */
                        created_at: string;
                        created_by: string | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            414: components["responses"]["URITooLong"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description removed */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["ContentTooLarge"];
            414: components["responses"]["URITooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    testWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the message id, sent as webhook-id (the same on every attempt) */
                        id: string;
                        webhook_id: string;
                        /** @description the event type, or webhook.test */
                        event: string;
                        state: "pending" | "delivered" | "failed";
                        attempts: number;
                        /** @description UTC ISO 8601 timestamp */
                        created_at: string;
                        next_attempt_at: string | null;
                        last_attempt_at: string | null;
                        last_status: number | null;
                        last_error: string | null;
                        delivered_at: string | null;
                        /** @description the event as sent in the standard format: type, timestamp, data */
                        payload: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["ContentTooLarge"];
            414: components["responses"]["URITooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                state?: "pending" | "delivered" | "failed";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** @description the message id, sent as webhook-id (the same on every attempt) */
                            id: string;
                            webhook_id: string;
                            /** @description the event type, or webhook.test */
                            event: string;
                            state: "pending" | "delivered" | "failed";
                            attempts: number;
                            /** @description UTC ISO 8601 timestamp */
                            created_at: string;
                            next_attempt_at: string | null;
                            last_attempt_at: string | null;
                            last_status: number | null;
                            last_error: string | null;
                            delivered_at: string | null;
                            /** @description the event as sent in the standard format: type, timestamp, data */
                            payload: {
                                [key: string]: unknown;
                            };
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            414: components["responses"]["URITooLong"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: {
                            id: string;
                            name: string;
                            description: string;
                            scopes: string[];
                            audiences: string[];
                            allowed_cidrs: string[];
                            rate_limit: {
                                requests: number;
                                per_seconds: number;
                            } | null;
                            max_uses: number | null;
                            refill: {
                                amount: number;
                                /** @description seconds */
                                every: number;
                            } | null;
                            uses_remaining: number | null;
                            metadata: {
                                [key: string]: string;
                            };
                            owner: string | null;
                            /** @description display form: prefix and the first random characters */
                            start: string;
                            status: "active" | "suspended" | "revoked" | "expired";
                            /** @description UTC ISO 8601 timestamp */
                            created_at: string;
                            created_by: string | null;
                            expires_at: string | null;
                            last_used_at: string | null;
                            last_used_ip: string | null;
                            use_count: number;
                            revoked_at: string | null;
                            revoked_by: string | null;
                            revoke_reason: string | null;
                            rotated_from: string | null;
                            rotated_to: string | null;
                            /** @description a rotation started with pending=true awaits complete or abort */
                            rotation_pending: boolean;
                            version: number;
                        };
                        server: {
                            version: string;
                            secret_prefix: string;
                        };
                        session: {
                            /** @description UTC ISO 8601 timestamp */
                            expires_at: string;
                            /** @description the session ends after this long without a request */
                            idle_timeout_seconds: number;
                            /** @description send it as X-CSRF-Token on every request that changes something */
                            csrf_token: string;
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    signIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description a token secret; checked, never stored or echoed */
                    secret: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    "Set-Cookie": components["headers"]["Set-Cookie"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: {
                            id: string;
                            name: string;
                            description: string;
                            scopes: string[];
                            audiences: string[];
                            allowed_cidrs: string[];
                            rate_limit: {
                                requests: number;
                                per_seconds: number;
                            } | null;
                            max_uses: number | null;
                            refill: {
                                amount: number;
                                /** @description seconds */
                                every: number;
                            } | null;
                            uses_remaining: number | null;
                            metadata: {
                                [key: string]: string;
                            };
                            owner: string | null;
                            /** @description display form: prefix and the first random characters */
                            start: string;
                            status: "active" | "suspended" | "revoked" | "expired";
                            /** @description UTC ISO 8601 timestamp */
                            created_at: string;
                            created_by: string | null;
                            expires_at: string | null;
                            last_used_at: string | null;
                            last_used_ip: string | null;
                            use_count: number;
                            revoked_at: string | null;
                            revoked_by: string | null;
                            revoke_reason: string | null;
                            rotated_from: string | null;
                            rotated_to: string | null;
                            /** @description a rotation started with pending=true awaits complete or abort */
                            rotation_pending: boolean;
                            version: number;
                        };
                        server: {
                            version: string;
                            secret_prefix: string;
                        };
                        session: {
                            /** @description UTC ISO 8601 timestamp */
                            expires_at: string;
                            /** @description the session ends after this long without a request */
                            idle_timeout_seconds: number;
                            /** @description send it as X-CSRF-Token on every request that changes something */
                            csrf_token: string;
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["ContentTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: {
                /** @description the session’s csrf_token (GET /v1/session); required on every change made with a session */
                "x-csrf-token"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out; the cookie is cleared */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    "Set-Cookie": components["headers"]["Set-Cookie"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["ContentTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    watchSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An event stream that stays open until the session ends: `event: ended` with `data: {"reason", "message"}`, then the end of the stream */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    "X-Accel-Buffering": components["headers"]["X-Accel-Buffering"];
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    introspectToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description form (application/x-www-form-urlencoded) or JSON */
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    /** @description the secret to check; anything unusable answers {"active": false} */
                    token: string;
                    /** @description accepted and ignored (RFC 7662) */
                    token_type_hint?: string;
                    /** @description space-separated scopes the token must all hold */
                    scope?: string;
                    /** @description the service asking; must be one of the token audiences unless it has none */
                    audience?: string;
                    /** @description the client's address for the token's CIDR allowlist (default: this request's) */
                    ip?: string;
                    /** @description client_secret_post (RFC 6749 §2.3.1): any client id */
                    client_id?: string;
                    /** @description client_secret_post: the caller's own token with scope verify, instead of the Authorization header */
                    client_secret?: string;
                };
                "application/json": {
                    /** @description the secret to check; anything unusable answers {"active": false} */
                    token: string;
                    /** @description accepted and ignored (RFC 7662) */
                    token_type_hint?: string;
                    /** @description space-separated scopes the token must all hold */
                    scope?: string;
                    /** @description the service asking; must be one of the token audiences unless it has none */
                    audience?: string;
                    /** @description the client's address for the token's CIDR allowlist (default: this request's) */
                    ip?: string;
                    /** @description client_secret_post (RFC 6749 §2.3.1): any client id */
                    client_id?: string;
                    /** @description client_secret_post: the caller's own token with scope verify, instead of the Authorization header */
                    client_secret?: string;
                };
            };
        };
        responses: {
            /** @description RFC 7662: {"active": false} and nothing more for anything unusable */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        active: boolean;
                        /** @description the token's scopes, space-separated */
                        scope?: string;
                        /** @description the token id */
                        client_id?: string;
                        /** @description the token id, for gateways that map the subject claim to a user */
                        sub?: string;
                        /** @description the token name */
                        username?: string;
                        /** @description expiry (or end of a rotation overlap), seconds since the epoch; absent when it never expires */
                        exp?: number;
                        /** @description creation, seconds since the epoch */
                        iat?: number;
                        /** @description absent when the token is valid for any audience */
                        aud?: string[];
                        /** @enum {string} */
                        token_type?: "Bearer";
                        /**
                         * @description only when an otherwise usable token is over its rate limit, or has used up its usage quota
                         * @enum {string}
                         */
                        reason?: "rate_limited" | "usage_exceeded";
                    };
                };
            };
            400: components["responses"]["OAuthBadRequest"];
            401: components["responses"]["OAuthUnauthorized"];
            403: components["responses"]["OAuthForbidden"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["OAuthContentTooLarge"];
            415: components["responses"]["OAuthUnsupportedMediaType"];
            429: components["responses"]["OAuthTooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["OAuthInternalServerError"];
            503: components["responses"]["OAuthServiceUnavailable"];
        };
    };
    getAuthorizationServerMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 8414 authorization server metadata: where RFC 7662 clients introspect, and how they authenticate */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the server's public URL (tokens server --public-url, else the request's scheme and host) */
                        issuer: string;
                        introspection_endpoint: string;
                        introspection_endpoint_auth_methods_supported: string[];
                        /** @description none: this server issues no tokens through OAuth flows */
                        response_types_supported: string[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    forwardAuth: {
        parameters: {
            query?: {
                /** @description scopes the route needs (space- or comma-separated, or repeated); else the X-Required-Scope header */
                scope?: string[];
                /** @description the protected service; else the X-Required-Audience header */
                audience?: string;
            };
            header?: {
                /** @description scopes the route needs, when not given as the scope query parameter */
                "x-required-scope"?: string;
                /** @description the protected service, when not given as the audience query parameter */
                "x-required-audience"?: string;
                /** @description the client's address; believed only from a trusted proxy (--trust-proxy) */
                "x-forwarded-for"?: string;
                /** @description used when X-Forwarded-For is absent; believed only from a trusted proxy */
                "x-real-ip"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Admitted; X-Token-Id and X-Token-Scopes name the token */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                    "X-Frame-Options": components["headers"]["X-Frame-Options"];
                    "Referrer-Policy": components["headers"]["Referrer-Policy"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "Strict-Transport-Security": components["headers"]["Strict-Transport-Security"];
                    "X-Token-Id": components["headers"]["X-Token-Id"];
                    "X-Token-Scopes": components["headers"]["X-Token-Scopes"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
