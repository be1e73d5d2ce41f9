// Every bound Ordo enforces has a name here, so a reader finds it and a check can cite it.

export const limits = Object.freeze({
  /** Most levels one scale order may have. */
  scaleLevelsMax: 100,
  /** Longest free-text tag on an order. */
  tagLengthMax: 64,
  /** Most legs one OTO may release. */
  otoChildrenMax: 10,
});
