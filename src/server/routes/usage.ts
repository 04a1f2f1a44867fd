// Usage history (README "Usage history"): one token's series, and the most used / most refused tokens.
import { Problem, TokenIdParams, TokenUsage, TokenUsageQuery, UsageRanking, UsageRankingQuery } from '../../shared/schemas.js';
import type { AppContext } from '../context.js';
import { authenticated, type TypedApp } from './types.js';

const tags = ['usage'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 409: Problem };

export function registerUsageRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/tokens/:id/usage',
    {
      config: authenticated,
      schema: {
        tags,
        operationId: 'getTokenUsage',
        summary: "A token's admitted calls and refusals by hour or day, and its most frequent client addresses (scope tokens:read)",
        params: TokenIdParams,
        querystring: TokenUsageQuery,
        response: { 200: TokenUsage, ...errors, 404: Problem },
      },
    },
    async (req) => ctx.usageHistory.forToken(req.caller!, req.params.id, req.query),
  );

  app.get(
    '/v1/usage',
    {
      config: authenticated,
      schema: {
        tags,
        operationId: 'getUsageRanking',
        summary: 'The most used and the most refused tokens in a span (scope tokens:read)',
        querystring: UsageRankingQuery,
        response: { 200: UsageRanking, ...errors },
      },
    },
    async (req) => ctx.usageHistory.ranking(req.caller!, req.query),
  );
}
