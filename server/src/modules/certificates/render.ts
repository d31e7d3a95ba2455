import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { FONTS } from './fonts.ts';
import { nextTurn } from '../../lib/next-turn.ts';

/** Everything printed on one certificate, already filled in (no placeholders left). */
export interface CertificateView {
  /** The issuing organisation, printed at the top; may be empty. */
  issuer?: string;
  /** «ДИПЛОМ», «СЕРТИФИКАТ УЧАСТНИКА», «БЛАГОДАРСТВЕННОЕ ПИСЬМО» … */
  title: string;
  /** «I степени», «победителя» …; may be empty. */
  subtitle: string;
  /** «награждается», «вручается» … */
  lead: string;
  recipientName: string;
  /** The text under the name: what for, which contest, nomination. */
  body: string;
  /** ДД.ММ.ГГГГ */
  date: string;
  place: string;
  signatories: { position: string; name: string }[];
  registryNumber: string;
  code: string;
  verifyUrl: string;
  orientation: 'landscape' | 'portrait';
  /** Stored file ids of the event's logo and the first signatory's signature; the bytes come from an ImageLoader. */
  logoFileId?: string | null;
  signatureFileId?: string | null;
}

type Doc = PDFKit.PDFDocument;

/** Image bytes by stored file id; null when the file is gone (the certificate is then printed without it). */
export type ImageLoader = (fileId: string) => Promise<Buffer | null>;

/**
 * An image pdfkit has parsed once (doc.openImage, missing from @types/pdfkit). Passing the same object to doc.image
 * on every page embeds the bytes once and only references them afterwards, so a batch with a logo stays small.
 */
type OpenedImage = { width: number; height: number };
interface Images {
  logo?: OpenedImage | null;
  signature?: OpenedImage | null;
}

function openImage(doc: Doc, bytes: Buffer): OpenedImage | null {
  try {
    return (doc as unknown as { openImage(src: Buffer): OpenedImage }).openImage(bytes);
  } catch {
    // A file that pdfkit cannot read (it was checked as PNG/JPEG on upload) is left out rather than failing the batch.
    return null;
  }
}

function drawImage(doc: Doc, image: OpenedImage, x: number, y: number, fit: [number, number]): void {
  doc.image(image as unknown as Buffer, x, y, { fit, align: 'center', valign: 'center' });
}

const MARGIN = 36;

/** `title`: the PDF's own title (what a viewer shows in its window); a batch is «Наградные документы». */
export function createCertificateDocument(title = 'Наградные документы'): Doc {
  const doc = new PDFDocument({ autoFirstPage: false, compress: true, info: { Title: title, Producer: 'Konkurs' } });
  doc.registerFont('serif', FONTS.serif);
  doc.registerFont('serif-bold', FONTS.serifBold);
  doc.registerFont('serif-italic', FONTS.serifItalic);
  doc.registerFont('sans', FONTS.sans);
  doc.registerFont('sans-bold', FONTS.sansBold);
  return doc;
}

/**
 * Measurements already made in this document. A batch repeats the same texts on every page (the organisation, the
 * title, the lead, the signatories, often the body), and measuring them (pdfkit wraps the text to learn its height) is
 * most of the time a page takes; so each text is measured once per document and size.
 */
const layouts = new WeakMap<Doc, Map<string, { size: number; height: number; width: number }>>();
function measured(doc: Doc, key: string, measure: () => { size: number; height: number; width: number }) {
  let cache = layouts.get(doc);
  if (!cache) layouts.set(doc, (cache = new Map()));
  let m = cache.get(key);
  if (!m) {
    // Names and codes differ on every page: the cache stays bounded however long the batch.
    if (cache.size > 2000) cache.clear();
    cache.set(key, (m = measure()));
  }
  return m;
}

/**
 * Puts a line of text centred at y, shrinking the font until it fits the width; below the smallest size it wraps
 * (at most maxLines lines). Returns the y below the text. Nothing is ever drawn outside the frame.
 */
function fitCentered(
  doc: Doc,
  text: string,
  font: string,
  size: number,
  minSize: number,
  x: number,
  y: number,
  width: number,
  maxHeight: number,
): number {
  doc.font(font);
  const m = measured(doc, `${font}|${size}|${minSize}|${width}|${maxHeight}|${text}`, () => {
    let s = size;
    let w = doc.fontSize(s).widthOfString(text);
    while (s > minSize && w > width) w = doc.fontSize(--s).widthOfString(text);
    // One line needs no wrapping to know its height (wrapping is what measuring costs).
    if (w <= width && !text.includes('\n')) return { size: s, height: doc.currentLineHeight(true), width: w };
    doc.fontSize(s);
    let height = doc.heightOfString(text, { width, align: 'center' });
    while (height > maxHeight && s > 6) {
      s -= 1;
      doc.fontSize(s);
      height = doc.heightOfString(text, { width, align: 'center' });
    }
    return { size: s, height, width: doc.widthOfString(text) };
  });
  doc.fontSize(m.size);
  // A text that fits on one line is placed by its measured width, without pdfkit's line wrapping.
  if (m.width <= width && !text.includes('\n')) doc.text(text, x + (width - m.width) / 2, y, { lineBreak: false });
  else doc.text(text, x, y, { width, align: 'center', height: maxHeight, ellipsis: true });
  return y + Math.min(m.height, maxHeight);
}

/** The QR code as vector rectangles: one rectangle per horizontal run of dark modules, filled at once. */
function drawQr(doc: Doc, text: string, x: number, y: number, size: number): void {
  // A fixed mask pattern skips the library's search for the best one (a third of the time per certificate);
  // any pattern is valid and scans well at print size.
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M', maskPattern: 2 });
  const n = qr.modules.size;
  const data = qr.modules.data;
  // The modules are drawn in their own units (one module = 1×1) under a scaling matrix, as one content
  // stream write: whole numbers, exact edges and a single call instead of one per run of dark modules.
  const path: string[] = [];
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!data[row * n + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && data[row * n + col]) col++;
      path.push(`${start} ${row} ${col - start} 1 re`);
    }
  }
  const cell = size / n;
  doc.fillColor('#000000');
  doc.addContent(
    `q ${cell.toFixed(6)} 0 0 ${cell.toFixed(6)} ${x.toFixed(3)} ${y.toFixed(3)} cm\n${path.join('\n')}\nf\nQ`,
  );
}

/** Draws one certificate on a new A4 page of doc. */
export function drawCertificate(doc: Doc, c: CertificateView, images: Images = {}): void {
  doc.addPage({ size: 'A4', layout: c.orientation, margin: 0 });
  const W = doc.page.width;
  const H = doc.page.height;
  const portrait = c.orientation === 'portrait';

  // Frame: a thick and a thin line.
  doc
    .lineWidth(3)
    .strokeColor('#0b4f9c')
    .rect(18, 18, W - 36, H - 36)
    .stroke();
  doc
    .lineWidth(0.8)
    .rect(26, 26, W - 52, H - 52)
    .stroke();

  const x = MARGIN + 24;
  const width = W - 2 * x;
  const qrSize = portrait ? 88 : 80;
  const footerTop = H - MARGIN - qrSize - 34;

  // The logo, when there is one, sits centred at the top and the title moves down below it.
  let titleTop = portrait ? 90 : 56;
  let top = 40;
  if (images.logo) {
    const logoHeight = portrait ? 64 : 48;
    drawImage(doc, images.logo, x, top, [width, logoHeight]);
    top += logoHeight + 6;
    titleTop = Math.max(titleTop, top + 2);
  }
  // The issuing organisation stands above the title, as on a letterhead.
  if (c.issuer) {
    doc.fillColor('#1b1f24');
    const below = fitCentered(doc, c.issuer, 'serif', 13, 9, x, Math.max(top, portrait ? 56 : 44), width, 34);
    titleTop = Math.max(titleTop, below + (portrait ? 18 : 8));
  }
  doc.fillColor('#0b4f9c');
  let y = fitCentered(doc, c.title, 'serif-bold', portrait ? 40 : 44, 20, x, titleTop, width, 110);
  if (c.subtitle) y = fitCentered(doc, c.subtitle, 'serif-bold', 24, 12, x, y + 4, width, 60);
  doc.fillColor('#1b1f24');
  if (c.lead) y = fitCentered(doc, c.lead, 'serif-italic', 16, 10, x, y + 14, width, 40);
  y = fitCentered(doc, c.recipientName, 'serif-bold', portrait ? 30 : 32, 16, x, y + 10, width, portrait ? 110 : 80);

  // The body takes what room is left above the footer, in a smaller size when it is long.
  const bodyTop = y + 14;
  const bodyHeight = footerTop - bodyTop - 8;
  if (bodyHeight > 12 && c.body) {
    doc.font('sans');
    const m = measured(doc, `body|${width}|${bodyHeight}|${c.body}`, () => {
      let s = 15;
      doc.fontSize(s);
      while (s > 7 && doc.heightOfString(c.body, { width, align: 'center' }) > bodyHeight) doc.fontSize(--s);
      return { size: s, height: 0, width: 0 };
    });
    doc.fontSize(m.size).text(c.body, x, bodyTop, { width, align: 'center', height: bodyHeight, ellipsis: true });
  }

  // Footer: place and date, signatories, QR with the code and registry number.
  const qrX = W - MARGIN - 14 - qrSize;
  const qrY = H - MARGIN - 14 - qrSize - 20;
  drawQr(doc, c.verifyUrl, qrX, qrY, qrSize);
  // The code and number end at the QR's right edge, in a size that fits the room left of it.
  doc.font('sans').fillColor('#1b1f24');
  const textRight = qrX + qrSize;
  const textWidth = qrSize + 70;
  for (const [i, line] of [`Код проверки: ${c.code}`, `№ ${c.registryNumber}`].entries()) {
    let size = 7.5;
    let w = doc.fontSize(size).widthOfString(line);
    while (size > 4 && w > textWidth) w = doc.fontSize((size -= 0.5)).widthOfString(line);
    doc.text(line, textRight - w, qrY + qrSize + 3 + i * 9, { lineBreak: false });
  }

  const footerWidth = qrX - x - 20;
  doc.font('sans').fontSize(11);
  let fy = footerTop;
  let widest = 0;
  for (const [i, s] of c.signatories.slice(0, 3).entries()) {
    const line = `${s.position}  _______________  ${s.name}`;
    const m = measured(doc, `sign|${footerWidth}|${line}`, () => {
      let size = 11;
      while (size > 6 && doc.fontSize(size).widthOfString(line) > footerWidth) size -= 0.5;
      return { size, height: 0, width: doc.fontSize(size).widthOfString(line) };
    });
    const size = m.size;
    doc.fontSize(size);
    // The signature image stands over the first signatory's line, overlapping it a little as a pen would.
    if (i === 0 && images.signature) {
      const lineX = x + doc.widthOfString(`${s.position}  `);
      const lineWidth = doc.widthOfString('_______________');
      drawImage(doc, images.signature, lineX - 10, fy - 30, [lineWidth + 20, 36]);
      doc.fillColor('#1b1f24');
    }
    doc.text(line, x, fy, { lineBreak: false });
    widest = Math.max(widest, m.width);
    fy += size + 9;
  }
  // The place of the seal (М. П.) beside the signatures, as on documents a Russian organisation signs and stamps.
  if (c.signatories.length && widest + 60 < footerWidth)
    doc.fontSize(10).text('М. П.', x + widest + 28, footerTop + 4, { lineBreak: false });
  else if (c.signatories.length) {
    doc.fontSize(10).text('М. П.', x + footerWidth / 2, fy, { lineBreak: false });
    fy += 14;
  }
  doc
    .fontSize(10)
    .text([c.place, c.date].filter(Boolean).join(', '), x, Math.max(fy + 2, H - MARGIN - 30), { lineBreak: false });
}

/**
 * Renders certificates into one PDF stream, page by page, waiting while the reader is behind, so a batch of any size
 * takes the same memory. Resolves when the last byte has been handed to the stream.
 */
export async function renderCertificates(
  certificates: AsyncIterable<CertificateView> | Iterable<CertificateView>,
  doc: Doc = createCertificateDocument(),
  loadImage?: ImageLoader,
): Promise<void> {
  const ended = new Promise<void>((resolve, reject) => {
    doc.once('end', resolve);
    doc.once('error', reject);
  });
  // Each image file is read and parsed once per document, however many pages print it.
  const opened = new Map<string, OpenedImage | null>();
  const image = async (fileId: string | null | undefined): Promise<OpenedImage | null> => {
    if (!fileId || !loadImage) return null;
    if (!opened.has(fileId)) {
      const bytes = await loadImage(fileId).catch(() => null);
      opened.set(fileId, bytes ? openImage(doc, bytes) : null);
    }
    return opened.get(fileId)!;
  };
  let drawn = 0;
  for await (const c of certificates) {
    drawCertificate(doc, c, { logo: await image(c.logoFileId), signature: await image(c.signatureFileId) });
    // pdfkit pushes regardless of the reader; hold on while more than 1 MB waits unread.
    while (doc.readableLength > 1 << 20 && !doc.destroyed) await nextTurn();
    // Drawing is synchronous and rows arrive 200 at a time, so without a pause a batch would hold the server for
    // a quarter of a second at a time; every 8 pages (~10 ms) other requests get their turn.
    if (++drawn % 8 === 0) await nextTurn();
  }
  doc.end();
  await ended;
}
