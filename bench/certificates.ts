/**
 * pnpm bench:certificates — renders batches of certificates into one PDF and prints throughput, size per added
 * certificate and peak memory. Target on the 2-core machine: ≥ 1,000 certs/s, ≤ 4 KB per added certificate,
 * memory not growing with the batch, one certificate in ≤ 50 ms.
 * Usage: pnpm bench:certificates [count=1000] [--out file.pdf]
 */
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import {
  createCertificateDocument,
  renderCertificates,
  type CertificateView,
} from '../server/src/modules/certificates/render.ts';

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 1000);
const outIndex = args.indexOf('--out');
const outFile = outIndex >= 0 ? args[outIndex + 1] : undefined;

const LAST = [
  'Иванова',
  'Петров',
  'Смирнова',
  'Кузнецов',
  'Соколова',
  'Попов',
  'Лебедева',
  'Новиков',
  'Морозова',
  'Константинопольский-Щедрин',
];
const FIRST = ['Мария', 'Алексей', 'Ольга', 'Дмитрий', 'Анна', 'Сергей', 'Екатерина', 'Николай'];
const MIDDLE = ['Сергеевна', 'Иванович', 'Петровна', 'Александрович', 'Викторовна', 'Владимирович'];
const NOMINATIONS = [
  'Лучший председатель совета (комитета) территориального общественного самоуправления',
  'Лучший старший по дому, подъезду',
  'Лучший старейшина',
];
const DEGREES = ['I степени', 'II степени', 'III степени'];

function view(i: number): CertificateView {
  const code = (i * 7919 + 104729).toString(36).toUpperCase().padStart(16, 'K').slice(-16);
  return {
    // Every default template prints the issuing organisation at the top (certificates/organisation.ts).
    issuer: 'Смоленское региональное отделение Всероссийского совета местного самоуправления',
    title: 'ДИПЛОМ',
    subtitle: DEGREES[i % 3],
    lead: 'награждается',
    recipientName: `${LAST[i % LAST.length]} ${FIRST[i % FIRST.length]} ${MIDDLE[i % MIDDLE.length]}`,
    body: `победитель конкурса «Лучший руководитель территориального общественного самоуправления Смоленской области» в номинации «${NOMINATIONS[i % 3]}»`,
    date: '15.06.2026',
    place: 'г. Смоленск',
    signatories: [
      { position: 'Председатель жюри', name: 'А. В. Соколов' },
      { position: 'Председатель Смоленского РО ВСМС', name: 'И. П. Ковалёва' },
    ],
    registryNumber: `Д-2026-${String(i + 1).padStart(6, '0')}`,
    code: `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12, 16)}`,
    verifyUrl: `https://konkurs.example.ru/verify/${code}`,
    orientation: 'landscape',
  };
}

function* views(n: number) {
  for (let i = 0; i < n; i++) yield view(i);
}

async function render(n: number, file?: string): Promise<{ bytes: number; ms: number }> {
  const doc = createCertificateDocument();
  let bytes = 0;
  const sink = file
    ? createWriteStream(file)
    : new Writable({
        write(chunk, _enc, cb) {
          bytes += chunk.length;
          cb();
        },
      });
  if (file) doc.on('data', (chunk: Buffer) => (bytes += chunk.length));
  doc.pipe(sink);
  const t0 = performance.now();
  await renderCertificates(views(n), doc);
  return { bytes, ms: performance.now() - t0 };
}

const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

await render(20); // warm-up: fonts parsed, code compiled
const singles: number[] = [];
for (let i = 0; i < 20; i++) singles.push((await render(1)).ms);
singles.sort((a, b) => a - b);
const one = await render(1);
console.log(
  `single certificate: median ${singles[10].toFixed(1)} ms, worst ${singles[19].toFixed(1)} ms, ${one.bytes} bytes`,
);

const small = await render(Math.max(1, Math.floor(count / 10)));
console.log(
  `batch of ${Math.max(1, Math.floor(count / 10))}: ${small.ms.toFixed(0)} ms, peak RSS so far ${rssMb()} MB`,
);
const batch = await render(count, outFile);
const perCert = Math.round((batch.bytes - one.bytes) / (count - 1));
console.log(
  `batch of ${count}: ${batch.ms.toFixed(0)} ms, ${(batch.bytes / 1024 / 1024).toFixed(2)} MB${outFile ? ` written to ${outFile}` : ''}`,
);
console.log(`certs/s=${Math.round((count / batch.ms) * 1000)} bytes_per_cert=${perCert} peak_rss_mb=${rssMb()}`);
