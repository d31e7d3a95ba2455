import { apiResult, messageOr } from '$lib/api/browser';

/** A download call of the typed client: `browserApi.GET('/api/…pdf', { params, parseAs: 'stream' })`. */
type StreamCall = Promise<{ data?: ReadableStream<Uint8Array> | null; error?: unknown; response: Response }>;

/**
 * Downloads a file the server streams, reporting progress from the bytes received against an expected size
 * (the server cannot tell the size of a PDF it is still drawing), then saves it under the given name.
 */
export async function downloadWithProgress(
  source: StreamCall,
  fileName: string,
  expectedBytes: number,
  onProgress: (share: number) => void,
): Promise<void> {
  // The answer is kept: the saved file takes its media type from the response.
  const answer = await source;
  const result = await apiResult(Promise.resolve(answer));
  if (!result.ok || !result.data) {
    throw new Error(result.ok ? FAILED : messageOr(result.error, FAILED));
  }
  const reader = result.data.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onProgress(received / expectedBytes);
  }
  const blob = new Blob(chunks as BlobPart[], {
    type: answer.response.headers.get('content-type') ?? 'application/octet-stream',
  });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

const FAILED = 'Не удалось подготовить файл. Попробуйте ещё раз.';
