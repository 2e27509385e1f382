import { decodeJpeg2000 } from '../main/imaging/codecs/openjpeg.js';
import { decodeHtj2k } from '../main/imaging/codecs/openjph.js';
import { decodeJpegLs } from '../main/imaging/codecs/charls.js';
import { decodeJpeg8Bit } from '../main/imaging/codecs/libjpegTurbo.js';
const bad = Uint8Array.from([0xff, 0x4f, 0xff, 0x51, 0, 1, 2, 3]);
for (const [n, f] of [['oj', decodeJpeg2000], ['ph', decodeHtj2k], ['ls', decodeJpegLs], ['jt', decodeJpeg8Bit]] as const) {
  try { const r = await f(bad); console.log(n, 'ok', { ...r, samples: r.samples.length }); } catch (e) { console.log(n, 'threw', typeof e, e instanceof Error ? e.message : e); }
}
