/** One series of an instant vector, with its labels and sample value. */
export interface SeriesValue {
  labels: Record<string, string>;
  value: number;
}

/** A query that returned one usable number. */
export interface QueryValue {
  kind: 'value';
  query: string;
  value: number;
  series: SeriesValue[];
}

/**
 * A query that ran but returned nothing to judge: an empty vector (the
 * metric or label does not exist, or no sample in the window) or NaN (such
 * as a ratio of two zero rates).
 */
export interface QueryNoData {
  kind: 'no-data';
  query: string;
  detail: string;
}

/** A query that failed: Prometheus unreachable, a timeout, or an error status from the API. */
export interface QueryError {
  kind: 'error';
  query: string;
  detail: string;
  /** Prometheus's `errorType` (bad_data, execution, timeout, ...) or the HTTP failure kind. */
  errorType: string;
  /** Whether repeating the query cannot help: a syntax error or a result of the wrong shape. */
  permanent: boolean;
}

/** The classified outcome of one instant query. */
export type QueryOutcome = QueryValue | QueryNoData | QueryError;

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/**
 * Classifies the HTTP status and body of `/api/v1/query` into a value, no
 * data, or an error. A vector with several series is an error, because a
 * threshold needs one number: the query should aggregate with sum() or max().
 */
export function classifyQueryResponse(query: string, status: number, bodyText: string): QueryOutcome {
  let body: ApiBody;
  try {
    body = JSON.parse(bodyText) as ApiBody;
  } catch {
    return queryError(query, `HTTP ${status} with a body that is not JSON: ${bodyText.slice(0, 200)}`, `http-${status}`, status < 500);
  }

  if (body.status !== 'success') {
    const errorType = body.errorType ?? `http-${status}`;
    return queryError(query, `${errorType}: ${body.error ?? `HTTP ${status}`}`, errorType, errorType === 'bad_data');
  }

  return classifyData(query, body.data ?? {});
}

function classifyData(query: string, data: NonNullable<ApiBody['data']>): QueryOutcome {
  if (data.resultType === 'scalar') {
    const [, text] = data.result as [number, string];
    return numberOutcome(query, Number(text), []);
  }

  if (data.resultType !== 'vector') {
    return queryError(query, `the result is a ${data.resultType ?? 'missing'} value; an instant vector or scalar is expected`, 'result-type', true);
  }

  const result = data.result as { metric: Record<string, string>; value: [number, string] }[];
  if (result.length === 0) return { kind: 'no-data', query, detail: 'the query returned no series (empty result)' };

  const series = result.map((entry) => ({ labels: entry.metric, value: Number(entry.value[1]) }));
  if (series.length > 1) {
    const shown = series.slice(0, 3).map((entry) => formatLabels(entry.labels)).join(', ');
    return queryError(query, `the query returned ${series.length} series (${shown}); aggregate it to one, for example with sum() or max()`, 'many-series', true);
  }
  return numberOutcome(query, series[0]!.value, series);
}

function numberOutcome(query: string, value: number, series: SeriesValue[]): QueryOutcome {
  if (Number.isNaN(value)) return { kind: 'no-data', query, detail: 'the result is NaN, as a ratio of two zero rates is when no request arrived' };
  return { kind: 'value', query, value, series };
}

function queryError(query: string, detail: string, errorType: string, permanent: boolean): QueryError {
  return { kind: 'error', query, detail, errorType, permanent };
}

/** Formats labels as PromQL writes them: `{version="v2",status="500"}`. */
export function formatLabels(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(',')}}`;
}
