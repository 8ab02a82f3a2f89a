import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

/**
 * "Best rated" as a Bayesian average: each agent's rating is pulled towards a prior of PRIOR_MEAN stars as if it
 * had PRIOR_WEIGHT more ratings of that value,
 *
 *   score = (PRIOR_WEIGHT * PRIOR_MEAN + rating_count * reputation) / (PRIOR_WEIGHT + rating_count)
 *
 * so one 5-star review (score 3.88) does not outrank four reviews averaging 4.76 (4.22), while many good ratings
 * converge on their own average. An agent without ratings scores the prior: above agents rated poorly, below those
 * rated well by several clients. `reputation` is the stored price- and age-weighted average (reputation.ts) and
 * `rating_count` the verified ratings it is made of.
 */
export const PRIOR_MEAN = 3.5;
export const PRIOR_WEIGHT = 3;

export function bayesianScore(reputation: number, ratingCount: number): number {
  return (PRIOR_WEIGHT * PRIOR_MEAN + ratingCount * reputation) / (PRIOR_WEIGHT + ratingCount);
}

/** The same score in SQL, over an agent row's columns (a float8, usable as a keyset sort expression). */
export function bayesianScoreSql(reputation: SQLWrapper, ratingCount: SQLWrapper): SQL<number> {
  return sql<number>`((${PRIOR_WEIGHT * PRIOR_MEAN}::float8 + ${ratingCount}::float8 * ${reputation})
    / (${PRIOR_WEIGHT}::float8 + ${ratingCount}::float8))`;
}
