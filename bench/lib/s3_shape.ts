/**
 * S3's shape, shared by `bench:s3`, `bench:cost --rules R` and `bench:profile --rules R`: R rules
 * on one SHARED stream, rule k the S1 rule restricted to its share of the ids. The workload's
 * ids are i % 100, so with R ≤ 100 each message that passes `temperature > 30` comes out of
 * exactly one rule: the expected result count is S1's.
 */
import { S1_IN } from "./s1_phase.ts";

/** The benchmark's stream, SHARED or not. */
export function streamSql(shared: boolean): string {
  return `CREATE STREAM s () WITH (DATASOURCE="${S1_IN}", FORMAT="json"` +
    (shared ? ', SHARED="true")' : ")");
}

/** Rule k of R. */
export function s3RuleSql(r: number | string, k: number | string): string {
  return `SELECT id, temperature, ts FROM s WHERE id % ${r} = ${k} AND temperature > 30`;
}
