/**
 * Downloads a file the server streams, reporting progress from the bytes received against an expected size
 * (the server cannot tell the size of a PDF it is still drawing), then saves it under the given name.
 */
export async function downloadWithProgress(url: string, fileName: string, expectedBytes: number, onProgress: (share: number) => void): Promise<void> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok || !response.body) {
    const body = await response.json().catch(() => null);
    throw new Error(body?.error?.message ?? 'Не удалось подготовить файл. Попробуйте ещё раз.');
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onProgress(received / expectedBytes);
  }
  const blob = new Blob(chunks as BlobPart[], { type: response.headers.get('content-type') ?? 'application/octet-stream' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
