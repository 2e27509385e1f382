import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const MIAS_FIXTURE = fileURLToPath(new URL('../fixtures/mias/', import.meta.url));
export const MAMMO_BIN = fileURLToPath(new URL('../../bin/mammo.js', import.meta.url));

/** The project's shared data, which a fresh clone may not have. */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
export const SHARED_MIAS = `${SHARED_DATA}mias/`;
export const SHARED_DICOM = `${SHARED_DATA}dicom-wg04/`;
export const hasSharedData = existsSync(SHARED_MIAS) && existsSync(SHARED_DICOM);
