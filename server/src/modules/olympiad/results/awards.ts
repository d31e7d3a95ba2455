/**
 * The award rule of Russian school olympiads (product.md), pure:
 * - participants are ranked by total, highest first; equal totals share a rank (1, 2, 2, 4 …);
 * - an award needs a total strictly above the threshold (a share of the maximum, usually one half);
 * - winners are the top scorers, at most `winners` of them, ties at the last place included;
 * - winners and prize-winners together may be at most `quota` of the participants (rounded down), but
 *   participants with equal totals at the boundary get the same status: all of them are awarded when their
 *   total is above the threshold (the practice of the all-Russian olympiad's regulations);
 * - with `perGrade` each grade is ranked and awarded on its own, with its own quota.
 */
export type AwardStatus = 'winner' | 'prize' | 'participant';

export interface Scored {
  id: string;
  total: number;
  grade: number;
}

export interface AwardRule {
  maxScore: number;
  /** Share of maxScore a total must exceed, 0–1 (0.5: "more than half"). */
  thresholdShare: number;
  /** Largest share of participants awarded (winners and prize-winners), 0–1. */
  quotaShare: number;
  /** How many winners at most (ties at the last place included). */
  winners: number;
  perGrade: boolean;
}

export interface Placed {
  id: string;
  grade: number;
  total: number;
  rank: number;
  status: AwardStatus;
}

export const DEFAULT_AWARD_RULE: Omit<AwardRule, 'maxScore'> = {
  thresholdShare: 0.5,
  quotaShare: 0.45,
  winners: 1,
  perGrade: false,
};

function awardGroup(group: Scored[], rule: AwardRule): Placed[] {
  const sorted = [...group].sort((a, b) => b.total - a.total || a.id.localeCompare(b.id));
  const threshold = rule.thresholdShare * rule.maxScore;
  const cap = Math.floor(rule.quotaShare * sorted.length + 1e-9);
  const placed: Placed[] = [];
  let winners = 0;
  let awarded = 0;
  for (let i = 0; i < sorted.length;) {
    // One level: everyone with this total.
    let j = i;
    while (j < sorted.length && sorted[j].total === sorted[i].total) j++;
    const level = sorted.slice(i, j);
    const eligible = level[0].total > threshold + 1e-9 && awarded < cap;
    let status: AwardStatus = 'participant';
    if (eligible && winners < rule.winners) {
      status = 'winner';
      winners += level.length;
    } else if (eligible) {
      status = 'prize';
    }
    if (status !== 'participant') awarded += level.length;
    for (const s of level) placed.push({ id: s.id, grade: s.grade, total: s.total, rank: i + 1, status });
    i = j;
  }
  return placed;
}

export function applyAwardRule(participants: Scored[], rule: AwardRule): Placed[] {
  if (!rule.perGrade) return awardGroup(participants, rule);
  const grades = [...new Set(participants.map((p) => p.grade))].sort((a, b) => a - b);
  return grades.flatMap((g) =>
    awardGroup(
      participants.filter((p) => p.grade === g),
      rule,
    ),
  );
}
