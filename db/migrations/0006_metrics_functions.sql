-- Latency histograms of call_rollups (lib/metrics/histogram.ts: 120 buckets, bucket i's upper bound 1.12^i ms,
-- bucket 0 under 1 ms). Buckets add up, so rollups merge inside the upsert and a percentile is exact to the bucket.
CREATE OR REPLACE FUNCTION hist_add(a integer[], b integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i), '{}')
  FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;
--> statement-breakpoint
-- The q-quantile as its bucket's upper bound in ms (0 for an empty histogram), as quantile() in histogram.ts.
CREATE OR REPLACE FUNCTION hist_quantile(h integer[], q double precision) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  total bigint := 0;
  seen bigint := 0;
  rank bigint;
  i integer;
BEGIN
  SELECT coalesce(sum(c), 0) INTO total FROM unnest(h) AS c;
  IF total = 0 THEN RETURN 0; END IF;
  rank := greatest(1, ceil(q * total));
  FOR i IN 1 .. coalesce(array_length(h, 1), 0) LOOP
    seen := seen + coalesce(h[i], 0);
    IF seen >= rank THEN
      RETURN CASE WHEN i - 1 <= 0 THEN 1 ELSE power(1.12::double precision, least(i - 1, 118)) END;
    END IF;
  END LOOP;
  RETURN 0;
END
$$;
