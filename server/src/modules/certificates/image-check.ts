import { inflateSync } from 'node:zlib';

/**
 * The largest PNG accepted, in pixels. A logo or a signature is printed a few centimetres wide: 4000 points across is
 * more than 300 dpi over a whole A4 page. The cap matters because PNG data is compressed: 62 KB of zeros unpack into
 * 64 MB, at upload and again each time pdfkit prints the image, so a small file could exhaust the server's memory.
 */
export const PNG_MAX_SIDE = 4000;
export const PNG_MAX_PIXELS = 8_000_000;

export type PngCheck = 'ok' | 'damaged' | 'too_large';

/**
 * Whether a PNG's pixel data can actually be read, and is of a size worth printing. The upload check looks only at the
 * first bytes; a PNG whose compressed data is broken would pass it and fail later, while a PDF is being written (pdfkit
 * decodes images with an alpha channel asynchronously, where an error cannot be caught). So the data is unpacked once
 * at upload, never past the size its header declares (which is itself capped).
 * JPEG needs no such check: pdfkit reads its header at once (a failure there is caught) and copies the rest as is.
 */
export function checkPng(bytes: Buffer): PngCheck {
  try {
    if (bytes.length < 33 || bytes.readUInt32BE(0) !== 0x89504e47) return 'damaged';
    let offset = 8;
    let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | undefined;
    let palette = false;
    const data: Buffer[] = [];
    while (offset + 8 <= bytes.length) {
      const length = bytes.readUInt32BE(offset);
      const type = bytes.toString('latin1', offset + 4, offset + 8);
      const body = bytes.subarray(offset + 8, offset + 8 + length);
      if (body.length !== length) return 'damaged';
      if (type === 'IHDR') {
        header = {
          width: body.readUInt32BE(0),
          height: body.readUInt32BE(4),
          bitDepth: body[8],
          colorType: body[9],
          interlace: body[12],
        };
      } else if (type === 'PLTE') palette = true;
      else if (type === 'IDAT') data.push(body);
      else if (type === 'IEND') break;
      offset += 12 + length;
    }
    if (!header || header.width === 0 || header.height === 0 || data.length === 0) return 'damaged';
    const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[header.colorType];
    if (!channels || (header.colorType === 3 && !palette) || ![1, 2, 4, 8, 16].includes(header.bitDepth))
      return 'damaged';
    if (header.width > PNG_MAX_SIDE || header.height > PNG_MAX_SIDE || header.width * header.height > PNG_MAX_PIXELS)
      return 'too_large';
    // Each row: a filter byte (0–4) and the row's bytes. Interlaced images hold up to 7 passes, each row with its own
    // filter byte: at most one more byte per row and pass.
    const rowBytes = Math.ceil((header.width * channels * header.bitDepth) / 8);
    const expected = header.height * (rowBytes + 1);
    const limit = header.interlace === 0 ? expected : expected + 7 * (header.height + 1) * 2;
    let pixels: Buffer;
    try {
      pixels = inflateSync(Buffer.concat(data), { maxOutputLength: limit });
    } catch {
      // Broken data, or more of it than the header declares (a viewer would not show it as the header says).
      return 'damaged';
    }
    if (header.interlace !== 0) return pixels.length > 0 ? 'ok' : 'damaged';
    if (pixels.length < expected) return 'damaged';
    for (let row = 0; row < header.height; row++) if (pixels[row * (rowBytes + 1)] > 4) return 'damaged';
    return 'ok';
  } catch {
    return 'damaged';
  }
}

export const pngIsReadable = (bytes: Buffer): boolean => checkPng(bytes) === 'ok';
