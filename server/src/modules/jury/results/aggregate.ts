import { pointsWord, ruNumber } from '../../../lib/ru-number.ts';

/**
 * How a jury's score sheets become a ranking, and how far the ranking can be trusted. Pure: no database, no clock.
 * Rules (product.md): a juror's total is the weighted sum of the criteria; an entry's score across jurors is the mean,
 * the median, the trimmed mean (drop the highest and the lowest with five or more jurors) or the mean of per-juror
 * standardized scores; ranking is per nomination, ties broken by the configured criteria, otherwise shared.
 */

export type AggregationMethod = 'mean' | 'median' | 'trimmed_mean' | 'standardized';

export interface Criterion {
  id: string;
  weight: number;
  min: number;
  max: number;
}

/** One juror's submitted sheet for one entry. */
export interface Sheet {
  jurorId: string;
  entryId: string;
  /** Points per criterion id. */
  points: Record<string, number>;
  /** A declared conflict of interest: the sheet counts for nothing. */
  conflict?: boolean;
}

export interface AggregationSettings {
  method: AggregationMethod;
  /** Criterion ids, in order, whose panel means decide between equal scores. */
  tieBreakers: string[];
  /** How many places are awarded (usually 3). */
  places: number;
  /** A spread of juror totals at least this share of the maximum total marks a strong disagreement (default 0.3). */
  disagreementShare?: number;
}

export interface EntryResult {
  entryId: string;
  /** Each juror's weighted total for this entry. */
  jurorTotals: Record<string, number>;
  jurorCount: number;
  /** The entry's score by the method; null with no sheet. */
  score: number | null;
  spread: { min: number; max: number; range: number; sd: number } | null;
  disagreement: boolean;
  /** Competition ranking: equal entries share a rank, the next rank skips (1, 2, 2, 4). */
  rank: number | null;
  place: number | null;
  /** The tie-breaker criterion that separated this entry from an equal neighbour, if one did. */
  decidedBy: string | null;
  sharedRank: boolean;
  /** How `score` came out of the juror totals, so that a person can redo it (the per-entry report, issue #11 item 8). */
  derivation: Derivation;
}

export interface Derivation {
  /** The jurors whose totals (or, standardized, z-scores) the method used, lowest total first. */
  used: string[];
  /** trimmed_mean with five or more sheets: the jurors whose lowest and highest totals were dropped. */
  trimmed: string[];
  /** standardized: each juror's z for this entry, from the juror's mean total and sample SD over the nomination. */
  z: Record<string, { mean: number; sd: number; entries: number; z: number }>;
  /** The panel means of the tie-breaking criteria: what orders entries of equal score. */
  tieBreakerMeans: Record<string, number>;
}

export interface JurorStats {
  jurorId: string;
  entries: number;
  meanTotal: number;
  /**
   * Mean of (this juror's total − the other jurors' mean for the entry), over the entries someone else also scored:
   * above 0 lenient, below 0 strict; null when no other juror scored any of this juror's entries. The juror is left
   * out of the comparison so that a small panel does not pull the benchmark towards the juror being judged.
   */
  leniency: number | null;
}

export interface Warning {
  kind: 'close_places' | 'few_jurors';
  entryIds: string[];
  message: string;
}

export interface NominationResult {
  entries: EntryResult[];
  jurors: JurorStats[];
  agreement: {
    /** Kendall's W with tie correction; only when every juror scored every entry. */
    kendallW: number | null;
    /** ICC(1,1): one-way random effects, single rater; works with incomplete panels. */
    icc: number | null;
    /** ICC(1,k): the same model, the reliability of the panel's mean of k jurors (k0 with unequal panels). */
    iccMean: number | null;
  };
  maxTotal: number;
  warnings: Warning[];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
export const mean = (xs: number[]) => (xs.length ? sum(xs) / xs.length : NaN);
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
export function sampleSd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(sum(xs.map((x) => (x - m) ** 2)) / (xs.length - 1));
}
/** Drops the highest and the lowest when there are five or more values (product rule), then averages. */
export function trimmedMean(xs: number[]): number {
  return mean(trimmedSplit(xs.map((x, i) => [String(i), x] as const)).kept.map(([, x]) => x));
}

/**
 * Which values the trimmed mean keeps and which it drops, with their owners: sorted by value (equal values by owner,
 * so the same sheets always give the same answer), the first and the last dropped when there are five or more.
 */
export function trimmedSplit<K extends string>(
  values: ReadonlyArray<readonly [K, number]>,
): { kept: Array<readonly [K, number]>; dropped: K[] } {
  if (values.length < 5) return { kept: [...values], dropped: [] };
  const s = [...values].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { kept: s.slice(1, -1), dropped: [s[0][0], s[s.length - 1][0]] };
}

/** Rounds away binary noise so that 7.1 + 0.2 equals 7.3 when scores are compared. */
const round = (x: number) => Math.round(x * 1e9) / 1e9;

export function jurorTotal(criteria: Criterion[], points: Record<string, number>): number {
  return round(sum(criteria.map((c) => c.weight * (points[c.id] ?? 0))));
}

export function aggregateNomination(
  criteria: Criterion[],
  sheets: Sheet[],
  settings: AggregationSettings,
): NominationResult {
  const maxTotal = jurorTotal(criteria, Object.fromEntries(criteria.map((c) => [c.id, c.max])));
  const minTotal = jurorTotal(criteria, Object.fromEntries(criteria.map((c) => [c.id, c.min])));
  const counted = sheets.filter((s) => !s.conflict);
  const entryIds = [...new Set(sheets.map((s) => s.entryId))];
  const jurorIds = [...new Set(counted.map((s) => s.jurorId))];

  const totals = new Map<string, Map<string, number>>(); // entry → juror → total
  for (const id of entryIds) totals.set(id, new Map());
  for (const s of counted) totals.get(s.entryId)!.set(s.jurorId, jurorTotal(criteria, s.points));

  // Per-juror standardization: each juror's totals as z-scores over the entries that juror scored.
  const z = new Map<string, Map<string, number>>(); // juror → entry → z
  const jurorScale = new Map<string, { mean: number; sd: number; entries: number }>();
  for (const j of jurorIds) {
    const mine = counted
      .filter((s) => s.jurorId === j)
      .map((s) => ({ entry: s.entryId, total: totals.get(s.entryId)!.get(j)! }));
    const m = mean(mine.map((x) => x.total));
    const sd = sampleSd(mine.map((x) => x.total));
    jurorScale.set(j, { mean: m, sd, entries: mine.length });
    z.set(j, new Map(mine.map((x) => [x.entry, sd > 0 ? (x.total - m) / sd : 0])));
  }

  /** The values the method uses, with whose they are: the score is computed from exactly these. */
  const derive = (entryId: string): { values: number[]; derivation: Derivation } => {
    const byJuror = [...totals.get(entryId)!];
    const { kept, dropped } =
      settings.method === 'trimmed_mean' ? trimmedSplit(byJuror) : { kept: byJuror, dropped: [] as string[] };
    const used = kept.map(([j]) => j);
    const zs = Object.fromEntries(
      settings.method === 'standardized'
        ? used.map((j) => [j, { ...jurorScale.get(j)!, z: z.get(j)!.get(entryId)! }])
        : [],
    );
    return {
      values: settings.method === 'standardized' ? used.map((j) => zs[j].z) : kept.map(([, total]) => total),
      derivation: {
        used: [...used].sort((a, b) => totals.get(entryId)!.get(a)! - totals.get(entryId)!.get(b)!),
        trimmed: dropped,
        z: zs,
        tieBreakerMeans: Object.fromEntries(settings.tieBreakers.map((c) => [c, criterionMean(entryId, c)])),
      },
    };
  };
  const scoreOf = (values: number[]): number | null => {
    if (!values.length) return null;
    return round(settings.method === 'median' ? median(values) : mean(values));
  };

  const criterionMean = (entryId: string, criterionId: string): number => {
    const values = counted.filter((s) => s.entryId === entryId).map((s) => s.points[criterionId] ?? 0);
    return values.length ? round(mean(values)) : -Infinity;
  };

  const share = settings.disagreementShare ?? 0.3;
  const entries: EntryResult[] = entryIds.map((entryId) => {
    const jurorTotals = Object.fromEntries(totals.get(entryId)!);
    const { values: used, derivation } = derive(entryId);
    const values = Object.values(jurorTotals);
    const spread = values.length
      ? {
          min: Math.min(...values),
          max: Math.max(...values),
          range: round(Math.max(...values) - Math.min(...values)),
          sd: round(sampleSd(values)),
        }
      : null;
    return {
      entryId,
      jurorTotals,
      jurorCount: values.length,
      score: scoreOf(used),
      spread,
      disagreement: spread !== null && values.length >= 2 && spread.range >= share * (maxTotal - minTotal),
      rank: null,
      place: null,
      decidedBy: null,
      sharedRank: false,
      derivation,
    };
  });

  // Order: score, then the tie-breaking criteria; entries equal on all of them share a rank.
  const keyOf = (e: EntryResult) => [
    e.score as number,
    ...settings.tieBreakers.map((c) => e.derivation.tieBreakerMeans[c]),
  ];
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i] - a[i];
    return 0;
  };
  const ranked = entries
    .filter((e) => e.score !== null)
    .map((e) => ({ e, key: keyOf(e) }))
    .sort((a, b) => compare(a.key, b.key));
  ranked.forEach((r, i) => {
    const prev = ranked[i - 1];
    if (prev && compare(prev.key, r.key) === 0) {
      r.e.rank = prev.e.rank;
      r.e.sharedRank = prev.e.sharedRank = true;
    } else {
      r.e.rank = i + 1;
    }
    // Which tie-breaker separated it from an entry of equal score next to it.
    for (const other of [ranked[i - 1], ranked[i + 1]]) {
      if (!other || other.key[0] !== r.key[0] || compare(other.key, r.key) === 0) continue;
      const idx = r.key.findIndex((v, k) => v !== other.key[k]);
      r.e.decidedBy ??= settings.tieBreakers[idx - 1] ?? null;
    }
    r.e.place = r.e.rank !== null && r.e.rank <= settings.places ? r.e.rank : null;
  });
  entries.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));

  const jurors: JurorStats[] = jurorIds.map((j) => {
    const mine = counted.filter((s) => s.jurorId === j);
    const diffs = mine.flatMap((s) => {
      const others = [...totals.get(s.entryId)!].filter(([other]) => other !== j).map(([, total]) => total);
      return others.length ? [totals.get(s.entryId)!.get(j)! - mean(others)] : [];
    });
    return {
      jurorId: j,
      entries: mine.length,
      meanTotal: round(mean(mine.map((s) => totals.get(s.entryId)!.get(j)!))),
      leniency: diffs.length ? round(mean(diffs)) : null,
    };
  });

  const warnings: Warning[] = [];
  // Neighbours at or around the awarded places whose scores differ by less than the jurors' own disagreement.
  for (let i = 0; i + 1 < ranked.length; i++) {
    const a = ranked[i].e;
    const b = ranked[i + 1].e;
    if ((a.rank ?? Infinity) > settings.places || a.rank === b.rank || settings.method === 'standardized') continue;
    const se = (e: EntryResult) => (e.spread && e.jurorCount > 1 ? e.spread.sd / Math.sqrt(e.jurorCount) : 0);
    const noise = Math.sqrt(se(a) ** 2 + se(b) ** 2);
    const gap = round((a.score as number) - (b.score as number));
    if (noise > 0 && gap < noise) {
      warnings.push({
        kind: 'close_places',
        entryIds: [a.entryId, b.entryId],
        message: `Места ${a.rank} и ${b.rank} разделяет ${ruNumber(gap)} ${pointsWord(gap)} — меньше, чем расхождение оценок жюри (±${ruNumber(noise)}).`,
      });
    }
  }
  for (const e of entries) {
    if (e.jurorCount === 1)
      warnings.push({ kind: 'few_jurors', entryIds: [e.entryId], message: 'Работу оценил только один член жюри.' });
  }

  return {
    entries,
    jurors,
    agreement: {
      kendallW: kendallW(entryIds, jurorIds, totals),
      icc: icc1(entryIds, totals),
      iccMean: icc1k(entryIds, totals),
    },
    maxTotal,
    warnings,
  };
}

/** Average ranks (ties share the mean of their positions), ascending by value: the lowest value gets rank 1. */
function averageRanks(values: number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1].v === order[i].v) j++;
    for (let k = i; k <= j; k++) ranks[order[k].i] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/** Kendall's coefficient of concordance with the correction for ties; null unless every juror scored every entry. */
export function kendallW(
  entryIds: string[],
  jurorIds: string[],
  totals: Map<string, Map<string, number>>,
): number | null {
  const n = entryIds.length;
  const m = jurorIds.length;
  if (n < 2 || m < 2) return null;
  if (!entryIds.every((e) => jurorIds.every((j) => totals.get(e)!.has(j)))) return null;
  const rankSums = new Array<number>(n).fill(0);
  let tieCorrection = 0;
  for (const j of jurorIds) {
    const values = entryIds.map((e) => totals.get(e)!.get(j)!);
    averageRanks(values).forEach((r, i) => (rankSums[i] += r));
    const groups = new Map<number, number>();
    for (const v of values) groups.set(v, (groups.get(v) ?? 0) + 1);
    for (const t of groups.values()) tieCorrection += t ** 3 - t;
  }
  const meanSum = (m * (n + 1)) / 2;
  const S = sum(rankSums.map((r) => (r - meanSum) ** 2));
  const denominator = m ** 2 * (n ** 3 - n) - m * tieCorrection;
  return denominator > 0 ? round(Math.max(0, Math.min(1, (12 * S) / denominator))) : null;
}

/** One-way ANOVA of juror totals by entry: the mean squares between and within entries, and k0 (jurors per entry). */
function oneWay(entryIds: string[], totals: Map<string, Map<string, number>>) {
  const groups = entryIds.map((e) => [...totals.get(e)!.values()]).filter((g) => g.length > 0);
  const N = sum(groups.map((g) => g.length));
  const a = groups.length;
  if (a < 2 || N - a < 1) return null;
  const grand = mean(groups.flat());
  const ssb = sum(groups.map((g) => g.length * (mean(g) - grand) ** 2));
  const ssw = sum(groups.map((g) => sum(g.map((x) => (x - mean(g)) ** 2))));
  const k0 = (N - sum(groups.map((g) => g.length ** 2)) / N) / (a - 1);
  return { msb: ssb / (a - 1), msw: ssw / (N - a), k0 };
}

/** ICC(1,1), one-way random effects for a single rater, with k0 for unequal numbers of jurors per entry. */
export function icc1(entryIds: string[], totals: Map<string, Map<string, number>>): number | null {
  const anova = oneWay(entryIds, totals);
  if (!anova) return null;
  const { msb, msw, k0 } = anova;
  const denominator = msb + (k0 - 1) * msw;
  if (denominator <= 0) return null;
  return round((msb - msw) / denominator);
}

/**
 * ICC(1,k), one-way random effects, the mean of k raters: (MSB − MSW) / MSB. With unequal panels this is ICC(1,1)
 * stepped up by Spearman–Brown to k0 jurors, so the two always describe the same panel.
 */
export function icc1k(entryIds: string[], totals: Map<string, Map<string, number>>): number | null {
  const anova = oneWay(entryIds, totals);
  if (!anova || anova.msb <= 0) return null;
  return round((anova.msb - anova.msw) / anova.msb);
}
