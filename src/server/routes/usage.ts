// Usage history (README "Usage history"): one token's series, and the most used / most refused tokens.
import { TokenIdParams, TokenUsage, TokenUsageQuery, UsageRanking, UsageRankingQuery } from '../../shared/schemas.js';
import type { AppContext } from '../context.js';
import { NEEDS } from '../service/authz.js';
import { authenticated, scoped, type TypedApp } from './types.js';

const tags = ['usage'];

export function registerUsageRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/tokens/:id/usage',
    {
      // 409: the server runs with --no-usage-history.
      config: { ...authenticated, answers: { refusals: ['not_found', 'conflict'] } },
      schema: {
        tags,
        operationId: 'getTokenUsage',
        ...scoped("A token's admitted calls and refusals by hour or day, and its most frequent client addresses", NEEDS.readTokens),
        params: TokenIdParams,
        querystring: TokenUsageQuery,
        response: { 200: TokenUsage },
      },
    },
    async (req) => ctx.usageHistory.forToken(req.caller!, req.params.id, req.query),
  );

  app.get(
    '/v1/usage',
    {
      config: { ...authenticated, answers: { refusals: ['conflict'] } },
      schema: {
        tags,
        operationId: 'getUsageRanking',
        ...scoped('The most used and the most refused tokens in a span', NEEDS.readTokens),
        querystring: UsageRankingQuery,
        response: { 200: UsageRanking },
      },
    },
    async (req) => ctx.usageHistory.ranking(req.caller!, req.query),
  );
}
