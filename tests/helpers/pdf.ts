import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Reads a PDF as a person would: its text (pdftotext, poppler-utils) and its QR codes (pdftoppm + zbarimg, zbar-tools). */
function withTempPdf<T>(pdf: Buffer, fn: (dir: string, file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'konkurs-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return fn(dir, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(pdf: Buffer): string {
  return withTempPdf(pdf, (_dir, file) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
}

/** The document's title as a viewer shows it (pdfinfo). */
export function pdfTitle(pdf: Buffer): string {
  const info = withTempPdf(pdf, (_dir, file) => execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
  return /^Title:\s+(.*)$/m.exec(info)?.[1].trim() ?? '';
}

export function pdfPageCount(pdf: Buffer): number {
  const info = withTempPdf(pdf, (_dir, file) => execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
}

/** Every word's box on every page, with the page size: to prove nothing is drawn outside the frame. */
export function pdfWordBoxes(pdf: Buffer): {
  pages: {
    width: number;
    height: number;
    words: { text: string; xMin: number; yMin: number; xMax: number; yMax: number }[];
  }[];
} {
  const html = withTempPdf(pdf, (_dir, file) => execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' }));
  const pages = [...html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)].map((m) => ({
    width: Number(m[1]),
    height: Number(m[2]),
    words: [
      ...m[3].matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g),
    ].map((w) => ({
      xMin: Number(w[1]),
      yMin: Number(w[2]),
      xMax: Number(w[3]),
      yMax: Number(w[4]),
      text: w[5],
    })),
  }));
  return { pages };
}

/** The QR codes found on the first page, decoded by a real decoder. */
export function pdfQrCodes(pdf: Buffer): string[] {
  return withTempPdf(pdf, (dir, file) => {
    execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', file, join(dir, 'page')]);
    const png = readdirSync(dir).find((f) => f.endsWith('.png'));
    if (!png) return [];
    let out: string;
    try {
      out = execFileSync('zbarimg', ['--quiet', '--raw', join(dir, png)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      return [];
    }
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  });
}

/** The images a PDF shows (not their transparency masks), one row per use on a page (pdfimages -list, poppler-utils). */
export function pdfImages(pdf: Buffer): { page: number; object: number }[] {
  const list = withTempPdf(pdf, (_dir, file) => execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }));
  return list
    .split('\n')
    .slice(2)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length > 11 && /^\d+$/.test(cols[0]) && cols[2] === 'image')
    .map((cols) => ({ page: Number(cols[0]), object: Number(cols[10]) }));
}

/** The fonts a PDF uses and whether each is embedded (pdffonts, poppler-utils). */
export function pdfFonts(pdf: Buffer): { name: string; embedded: boolean }[] {
  const list = withTempPdf(pdf, (_dir, file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }));
  return list
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      // name … emb sub uni object ID: the flags are the fifth and fourth from the end.
      return { name: cols[0], embedded: cols[cols.length - 5] === 'yes' };
    });
}
