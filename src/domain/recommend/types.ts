/** Shared types of the recommendations domain. Pure data; no I/O. */

/** One observed purchase / view / rating. `user` and `item` are external ids (any integers). */
export interface Interaction {
  user: number;
  item: number;
  /** Strength of the event (1 per order line is a good default for purchases). */
  weight: number;
  /** Milliseconds since the epoch (any monotone clock works; half-lives are in the same unit). */
  time: number;
  /** Optional order / basket id; when missing, one basket = one (user, time) pair. */
  basket?: number;
}

/** The same as column arrays (what a database query or a CSV loader naturally produces). */
export interface InteractionColumns {
  user: ArrayLike<number>;
  item: ArrayLike<number>;
  weight: ArrayLike<number>;
  time: ArrayLike<number>;
  basket?: ArrayLike<number>;
}

export interface Recommendation {
  item: number;
  score: number;
  /** Human-readable reason ("because you bought X", "popular with customers like you", ...). */
  reason: string;
  /** The history item behind "because you bought X", when there is one. */
  because?: number;
}

/** Compressed sparse rows: row r has columns indices[indptr[r]..indptr[r+1]) (sorted) with values data[...]. */
export interface Csr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float64Array;
}

/** Maps external ids to dense indices 0..n-1 and back. */
export interface IdIndex {
  ids: Float64Array;
  index: Map<number, number>;
}

export const DAY_MS = 86_400_000;
