/**
 * Automatic assignment of jurors to entries (pure: no database). Every entry gets K jurors who have no declared
 * conflict with it and, when the contest asks for it, do not come from the entry's municipality. Jurors' loads
 * (entries assigned within the contest) stay as even as possible: each pick takes the eligible juror with the
 * smallest load, ties broken by the order of `jurors` (the caller passes them in a stable order), so the same
 * input always gives the same result; then chains of moves even out what picking entry by entry left uneven.
 * Existing assignments are kept (never moved) and count towards K and the loads.
 */

export interface AssignmentEntry {
  id: string;
  nominationId: string;
  /** The entry's municipality (from the form field the settings name), or null when unknown. */
  municipality: string | null;
}

export interface AssignmentJuror {
  id: string;
  municipality: string | null;
}

export interface Pair {
  applicationId: string;
  jurorId: string;
}

export interface AssignmentInput {
  entries: AssignmentEntry[];
  jurors: AssignmentJuror[];
  existing: Pair[];
  conflicts: Pair[];
  /** K: jurors per entry. */
  perEntry: number;
  avoidOwnMunicipality: boolean;
}

/** An entry that could not get K jurors, with the numbers that explain why. */
export interface Shortfall {
  applicationId: string;
  /** Jurors the entry has after this run (kept + new). */
  have: number;
  need: number;
  /** Jurors of the jury who declared a conflict with the entry. */
  conflicted: number;
  /** Jurors left out by the own-municipality rule. */
  sameMunicipality: number;
  reason: string;
}

export interface AssignmentPlan {
  assignments: Pair[];
  shortfalls: Shortfall[];
  /** Entries per juror after the run, in the order of the input jurors. */
  loads: Array<{ jurorId: string; load: number }>;
}

/** Municipalities compare without regard to case and surrounding spaces; an unknown one matches nothing. */
export function sameMunicipality(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  return a.trim().toLocaleLowerCase('ru') === b.trim().toLocaleLowerCase('ru');
}

const pairKey = (applicationId: string, jurorId: string) => `${applicationId}|${jurorId}`;

export function planAssignments(input: AssignmentInput): AssignmentPlan {
  const { entries, jurors, perEntry, avoidOwnMunicipality } = input;
  const memberIds = new Set(jurors.map((j) => j.id));
  const conflicts = new Set(input.conflicts.map((c) => pairKey(c.applicationId, c.jurorId)));
  const entryIds = new Set(entries.map((e) => e.id));

  // Loads count every assignment of a member within the contest, including entries not in this run.
  const load = new Map(jurors.map((j) => [j.id, 0]));
  const assigned = new Map<string, Set<string>>(entries.map((e) => [e.id, new Set()]));
  for (const a of input.existing) {
    if (!memberIds.has(a.jurorId)) continue;
    load.set(a.jurorId, load.get(a.jurorId)! + 1);
    if (entryIds.has(a.applicationId) && !conflicts.has(pairKey(a.applicationId, a.jurorId)))
      assigned.get(a.applicationId)!.add(a.jurorId);
  }

  const excluded = (entry: AssignmentEntry, juror: AssignmentJuror) =>
    conflicts.has(pairKey(entry.id, juror.id)) ||
    (avoidOwnMunicipality && sameMunicipality(entry.municipality, juror.municipality));
  const eligibleCount = (entry: AssignmentEntry) => jurors.filter((j) => !excluded(entry, j)).length;

  // The hardest entries first (fewest eligible jurors), so that scarce jurors go where nobody else can; then by id.
  const order = [...entries].sort(
    (a, b) => eligibleCount(a) - eligibleCount(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const position = new Map(jurors.map((j, i) => [j.id, i]));

  // New assignments by juror: only these may move when loads are evened out below.
  const added = new Map<string, Set<string>>(jurors.map((j) => [j.id, new Set()]));
  const shortfalls: Shortfall[] = [];
  for (const entry of order) {
    const mine = assigned.get(entry.id)!;
    while (mine.size < perEntry) {
      let best: AssignmentJuror | null = null;
      for (const j of jurors) {
        if (mine.has(j.id) || excluded(entry, j)) continue;
        if (
          !best ||
          load.get(j.id)! < load.get(best.id)! ||
          (load.get(j.id) === load.get(best.id) && position.get(j.id)! < position.get(best.id)!)
        )
          best = j;
      }
      if (!best) break;
      mine.add(best.id);
      added.get(best.id)!.add(entry.id);
      load.set(best.id, load.get(best.id)! + 1);
    }
    if (mine.size < perEntry) {
      const conflicted = jurors.filter((j) => conflicts.has(pairKey(entry.id, j.id))).length;
      const sameMun = avoidOwnMunicipality
        ? jurors.filter(
            (j) => !conflicts.has(pairKey(entry.id, j.id)) && sameMunicipality(entry.municipality, j.municipality),
          ).length
        : 0;
      shortfalls.push({
        applicationId: entry.id,
        have: mine.size,
        need: perEntry,
        conflicted,
        sameMunicipality: sameMun,
        reason: shortfallReason(mine.size, perEntry, jurors.length, conflicted, sameMun),
      });
    }
  }

  // Picking the least loaded juror entry by entry can still leave loads uneven when conflicts or the municipality rule
  // narrow the choice. Even them out: while some juror can hand one new entry on, along a chain of moves, to a juror
  // carrying at least two fewer, do it (each such chain lowers the sum of squared loads, so this ends).
  const byId = new Map(jurors.map((j) => [j.id, j]));
  const entryById = new Map(entries.map((e) => [e.id, e]));
  const canTake = (entryId: string, jurorId: string) =>
    !assigned.get(entryId)!.has(jurorId) && !excluded(entryById.get(entryId)!, byId.get(jurorId)!);
  const findChain = (start: string): Array<{ from: string; to: string; entryId: string }> | null => {
    const via = new Map<string, { from: string; entryId: string }>();
    const queue = [start];
    const seen = new Set([start]);
    while (queue.length) {
      const from = queue.shift()!;
      for (const entryId of [...added.get(from)!].sort()) {
        for (const j of jurors) {
          if (seen.has(j.id) || !canTake(entryId, j.id)) continue;
          seen.add(j.id);
          via.set(j.id, { from, entryId });
          if (load.get(j.id)! <= load.get(start)! - 2) {
            const chain: Array<{ from: string; to: string; entryId: string }> = [];
            for (let to = j.id; to !== start; to = via.get(to)!.from) chain.unshift({ to, ...via.get(to)! });
            return chain;
          }
          queue.push(j.id);
        }
      }
    }
    return null;
  };
  for (;;) {
    const heaviestFirst = [...jurors].sort(
      (a, b) => load.get(b.id)! - load.get(a.id)! || position.get(a.id)! - position.get(b.id)!,
    );
    let chain: ReturnType<typeof findChain> = null;
    for (const j of heaviestFirst) if ((chain = findChain(j.id))) break;
    if (!chain) break;
    for (const step of chain) {
      added.get(step.from)!.delete(step.entryId);
      assigned.get(step.entryId)!.delete(step.from);
      added.get(step.to)!.add(step.entryId);
      assigned.get(step.entryId)!.add(step.to);
    }
    const first = chain[0].from;
    const last = chain[chain.length - 1].to;
    load.set(first, load.get(first)! - 1);
    load.set(last, load.get(last)! + 1);
  }

  const created: Pair[] = [];
  for (const e of entries)
    for (const j of jurors) if (added.get(j.id)!.has(e.id)) created.push({ applicationId: e.id, jurorId: j.id });

  // Report in the input order of entries, which is how the organizer sees them.
  const entryPosition = new Map(entries.map((e, i) => [e.id, i]));
  shortfalls.sort((a, b) => entryPosition.get(a.applicationId)! - entryPosition.get(b.applicationId)!);
  return { assignments: created, shortfalls, loads: jurors.map((j) => ({ jurorId: j.id, load: load.get(j.id)! })) };
}

function shortfallReason(have: number, need: number, jurySize: number, conflicted: number, sameMun: number): string {
  const parts = [`в жюри ${jurySize} чел.`];
  if (conflicted) parts.push(`конфликт интересов у ${conflicted}`);
  if (sameMun) parts.push(`из того же муниципалитета ${sameMun}`);
  return `Назначено ${have} из ${need}: ${parts.join(', ')}. Добавьте членов жюри или уменьшите число оценок на заявку.`;
}
