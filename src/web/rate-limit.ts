import { rateLimit } from 'express-rate-limit';
import { AppError } from '../errors';

/**
 * Comments per client and minute, per instance; a typed 429 past that. The API's comment intake
 * and the public site's comment form share it, so neither is the easier way round the limit.
 */
export function commentRateLimit(perMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new AppError('RATE_LIMITED')),
  });
}
