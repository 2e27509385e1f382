import { decodeImageFile } from '../main/imaging/decodeImage.js';
const a = await decodeImageFile('/work/shared/data/dicom-wg04/MG1_J2KI.dcm');
const b = await decodeImageFile('/work/shared/data/dicom-wg04/MG1_JPLY.dcm');
const n = a.stored.length; let sad = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, maxd = 0; const hist = new Map<number, number>();
for (let i = 0; i < n; i++) { const x = a.stored[i]!, y = b.stored[i]!; const d = Math.abs(x - y); sad += d; if (d > maxd) maxd = d; sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y; }
const ma = sa / n, mb = sb / n;
const corr = (sab / n - ma * mb) / Math.sqrt((saa / n - ma * ma) * (sbb / n - mb * mb));
let dispd = 0; for (let i = 0; i < n; i++) dispd += Math.abs(a.display[i]! - b.display[i]!);
const sorted = new Uint16Array(n); for (let i = 0; i < n; i++) sorted[i] = Math.abs(a.stored[i]! - b.stored[i]!); sorted.sort();
console.log({ mad: sad / n, maxd, corr, ma, mb, dispMad: dispd / n, p99: sorted[Math.floor(n * 0.99)], p999: sorted[Math.floor(n * 0.999)] });
