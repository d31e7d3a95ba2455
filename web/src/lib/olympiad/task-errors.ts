/**
 * The API names a fault in an imported task set by its path, e.g. `tasks.1.prompt` or `tasks.0.key.correct`; a teacher
 * counts tasks from 1. Each such field becomes «Задание 2: …»; other fields are kept as they are.
 */
export function importErrorLines(fields: Record<string, string> | undefined): string[] {
  const lines: { n: number; text: string }[] = [];
  for (const [field, message] of Object.entries(fields ?? {})) {
    const m = /^tasks\.(\d+)(?:\.|$)/.exec(field);
    if (m) lines.push({ n: Number(m[1]) + 1, text: `Задание ${Number(m[1]) + 1}: ${message}` });
    else if (field !== 'file') lines.push({ n: Number.MAX_SAFE_INTEGER, text: message });
  }
  return [...new Set(lines.sort((a, b) => a.n - b.n).map((l) => l.text))];
}
