import { inflateSync } from 'node:zlib';

/**
 * Whether a PNG's pixel data can actually be read. The upload check looks only at the first bytes; a PNG whose
 * compressed data is broken would pass it and fail later, while a PDF is being written (pdfkit decodes images with
 * an alpha channel asynchronously, where an error cannot be caught). So the data is unpacked once at upload.
 * JPEG needs no such check: pdfkit reads its header at once (a failure there is caught) and copies the rest as is.
 */
export function pngIsReadable(bytes: Buffer): boolean {
  try {
    if (bytes.length < 33 || bytes.readUInt32BE(0) !== 0x89504e47) return false;
    let offset = 8;
    let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | undefined;
    let palette = false;
    const data: Buffer[] = [];
    while (offset + 8 <= bytes.length) {
      const length = bytes.readUInt32BE(offset);
      const type = bytes.toString('latin1', offset + 4, offset + 8);
      const body = bytes.subarray(offset + 8, offset + 8 + length);
      if (body.length !== length) return false;
      if (type === 'IHDR') {
        header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), bitDepth: body[8], colorType: body[9], interlace: body[12] };
      } else if (type === 'PLTE') palette = true;
      else if (type === 'IDAT') data.push(body);
      else if (type === 'IEND') break;
      offset += 12 + length;
    }
    if (!header || header.width === 0 || header.height === 0 || data.length === 0) return false;
    const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[header.colorType];
    if (!channels || (header.colorType === 3 && !palette)) return false;
    const pixels = inflateSync(Buffer.concat(data));
    if (header.interlace !== 0) return pixels.length > 0;
    // Each row: a filter byte (0–4) and the row's bytes.
    const rowBytes = Math.ceil((header.width * channels * header.bitDepth) / 8);
    if (pixels.length < header.height * (rowBytes + 1)) return false;
    for (let row = 0; row < header.height; row++) if (pixels[row * (rowBytes + 1)] > 4) return false;
    return true;
  } catch {
    return false;
  }
}
