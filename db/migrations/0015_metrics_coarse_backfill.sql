-- Histograms added up as an aggregate (hist_add of 0006 as its step): the coarse rollups below are sums of finer ones.
CREATE AGGREGATE hist_sum(integer[]) (SFUNC = hist_add, STYPE = integer[], INITCOND = '{}');
--> statement-breakpoint
-- The 5-minute and day rollups (0014) of what the minute and hour rollups already hold; the recorder writes all four
-- from now on (lib/metrics/recorder.ts).
INSERT INTO call_rollups_5m (agent_id, environment, version_id, bucket_start, calls, errors, timeouts, latency_sum_ms, bytes_in, bytes_out, hist, p50_ms, p95_ms, p99_ms, resource_samples, cpu_utilization_sum, memory_utilization_sum, memory_bytes_max, disk_bytes_max)
SELECT agent_id, environment, version_id, b, calls, errors, timeouts, latency_sum_ms, bytes_in, bytes_out, h,
  hist_quantile(h, 0.5), hist_quantile(h, 0.95), hist_quantile(h, 0.99), resource_samples, cpu_utilization_sum,
  memory_utilization_sum, memory_bytes_max, disk_bytes_max
FROM (
  SELECT agent_id, environment, version_id, date_bin('5 minutes', bucket_start, 'epoch') AS b, sum(calls) AS calls,
    sum(errors) AS errors, sum(timeouts) AS timeouts, sum(latency_sum_ms) AS latency_sum_ms, sum(bytes_in) AS bytes_in,
    sum(bytes_out) AS bytes_out, hist_sum(hist) AS h, sum(resource_samples) AS resource_samples,
    sum(cpu_utilization_sum) AS cpu_utilization_sum, sum(memory_utilization_sum) AS memory_utilization_sum,
    max(memory_bytes_max) AS memory_bytes_max, max(disk_bytes_max) AS disk_bytes_max
  FROM call_rollups GROUP BY 1, 2, 3, 4
) g
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO call_rollups_daily (agent_id, environment, version_id, bucket_start, calls, errors, timeouts, latency_sum_ms, bytes_in, bytes_out, hist, p50_ms, p95_ms, p99_ms, resource_samples, cpu_utilization_sum, memory_utilization_sum, memory_bytes_max, disk_bytes_max)
SELECT agent_id, environment, version_id, b, calls, errors, timeouts, latency_sum_ms, bytes_in, bytes_out, h,
  hist_quantile(h, 0.5), hist_quantile(h, 0.95), hist_quantile(h, 0.99), resource_samples, cpu_utilization_sum,
  memory_utilization_sum, memory_bytes_max, disk_bytes_max
FROM (
  SELECT agent_id, environment, version_id, date_bin('1 day', bucket_start, 'epoch') AS b, sum(calls) AS calls,
    sum(errors) AS errors, sum(timeouts) AS timeouts, sum(latency_sum_ms) AS latency_sum_ms, sum(bytes_in) AS bytes_in,
    sum(bytes_out) AS bytes_out, hist_sum(hist) AS h, sum(resource_samples) AS resource_samples,
    sum(cpu_utilization_sum) AS cpu_utilization_sum, sum(memory_utilization_sum) AS memory_utilization_sum,
    max(memory_bytes_max) AS memory_bytes_max, max(disk_bytes_max) AS disk_bytes_max
  FROM call_rollups_hourly GROUP BY 1, 2, 3, 4
) g
ON CONFLICT DO NOTHING;
